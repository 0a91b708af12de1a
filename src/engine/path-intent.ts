/**
 * Paths the app reads or writes need the user's intent. A renderer never names a folder directly:
 * the host asks the user (the native dialog in Electron, a confirmation in the headless host's
 * terminal) and hands the renderer an opaque, short-lived handle for what was chosen. Whatever was
 * chosen, some folders are never taken: the whole disk, the home folder itself, hidden (dot)
 * folders, and anything relative.
 */
import { randomBytes } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, parse, resolve, sep } from 'node:path'
import type { FolderChoice, FolderPurpose } from '../shared/contract.ts'

/** How long a handle stays usable after the user chose its folder. */
export const folderGrantTtlMs = 10 * 60 * 1000

/** A folder the user chose, as the handlers keep it. */
export interface FolderGrant {
  readonly path: string
  readonly purpose: FolderPurpose
  /** The user also agreed to hidden files being uploaded (pairs only). */
  readonly includeHidden: boolean
}

/**
 * Why `path` may not be used as a synced folder or a download destination, in plain words, or
 * null when it may. Symbolic links are followed (for the part of the path that exists), so a link
 * named `designs` that points at `~/.ssh` is refused like `~/.ssh`.
 */
export async function folderRefusal(path: string, home = homedir()): Promise<string | null> {
  if (path.includes('\0')) return 'That folder path contains a NUL character.'
  if (!isAbsolute(path))
    return `"${path}" is not a full path: give the whole path, starting at the top of the disk.`
  const lexical = resolve(path)
  const real = await realExisting(lexical)
  const realHome = await realExisting(resolve(home))
  for (const candidate of new Set([lexical, real])) {
    if (candidate === parse(candidate).root)
      return 'The top of the disk cannot be used: choose a folder inside it.'
    if (candidate === resolve(home) || candidate === realHome)
      return 'Your whole home folder cannot be used: choose a folder inside it.'
    const hidden = candidate
      .split(sep)
      .find((part) => part.startsWith('.') && part !== '.' && part !== '..')
    if (hidden !== undefined)
      return `"${hidden}" is a hidden folder (settings and keys live in those): choose a visible folder.`
  }
  return null
}

/** The real path of `path`, or of its nearest existing parent with the rest appended. */
async function realExisting(path: string): Promise<string> {
  let current = path
  const rest: string[] = []
  for (;;) {
    try {
      const real = await realpath(current)
      return rest.length === 0 ? real : resolve(real, ...rest.reverse())
    } catch {
      const parent = dirname(current)
      if (parent === current) return path
      rest.push(current.slice(parent.length).replace(/^[\\/]+/, ''))
      current = parent
    }
  }
}

/** Handles for folders the user chose; handlers resolve them, renderers only pass them back. */
export interface FolderGrants {
  grant(folder: FolderGrant): FolderChoice
  /** The grant behind `handle` for `purpose`; throws when unknown, expired or for another use. */
  resolve(handle: string, purpose: FolderPurpose): FolderGrant
  /** Like `resolve`, and the handle cannot be used again. */
  take(handle: string, purpose: FolderPurpose): FolderGrant
}

/** Keeps grants in memory (a restart forgets them: choosing again is cheap). */
export function createFolderGrants(now: () => number = Date.now): FolderGrants {
  const grants = new Map<string, FolderGrant & { readonly expiresAt: number }>()
  const find = (handle: string, purpose: FolderPurpose) => {
    for (const [key, grant] of grants) if (grant.expiresAt <= now()) grants.delete(key)
    const grant = grants.get(handle)
    if (!grant || grant.purpose !== purpose)
      throw new Error('Choose the folder again: this choice is unknown or too old.')
    return grant
  }
  return {
    grant(folder) {
      const handle = randomBytes(18).toString('base64url')
      grants.set(handle, { ...folder, expiresAt: now() + folderGrantTtlMs })
      // Bounded: a page asking in a loop cannot grow this without end.
      if (grants.size > 100) grants.delete(grants.keys().next().value ?? '')
      return { handle, path: folder.path, includeHidden: folder.includeHidden }
    },
    resolve(handle, purpose) {
      const { path, includeHidden } = find(handle, purpose)
      return { path, purpose, includeHidden }
    },
    take(handle, purpose) {
      const grant = this.resolve(handle, purpose)
      grants.delete(handle)
      return grant
    },
  }
}
