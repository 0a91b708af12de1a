/**
 * The contract's handler for choosing a folder: the user agrees to it in the host's own dialog
 * (or confirms a typed path in the headless host's terminal), and the renderer gets a handle,
 * never the power to name a folder itself.
 */
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/**
 * A folder the user typed: `~` and `~/…` mean the home folder (as in a terminal); anything else
 * must be absolute (a relative path would depend on where the host was started).
 */
export function typedFolder(path: string, home = homedir()): string {
  const trimmed = path.trim()
  if (trimmed === '~') return home
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(home, trimmed.slice(2))
  if (!isAbsolute(trimmed))
    throw new Error(`Type the full path of the folder, starting with / or ~/ (got "${trimmed}")`)
  return trimmed
}

/** Asks the user for a folder and grants the renderer a handle to what they agreed to. */
export function dialogHandlers({
  platform,
  folders,
  refuseFolder,
}: HandlerContext): FeatureHandlers<'dialog'> {
  return {
    'dialog:pick-folder': async (req) => {
      const includeHidden = req.purpose === 'pair' && req.includeHidden === true
      // Never ask the user about a folder that would be refused anyway.
      // A typed `~/…` means the home folder; a relative path is refused in words.
      const typed = req.typed === undefined ? undefined : typedFolder(req.typed)
      if (typed !== undefined) await refuseFolder(typed)
      const path = await platform.chooseFolder({
        purpose: req.purpose,
        includeHidden,
        ...(typed === undefined ? {} : { typed }),
      })
      if (path === null) return null
      await refuseFolder(path)
      return folders.grant({ path, purpose: req.purpose, includeHidden })
    },
  }
}
