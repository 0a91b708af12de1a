import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Finds the installed Electron binary without `require('electron')` (which tries to download it).
 * Returns the path, or a reason why there is none so Electron specs can skip clearly.
 */
export function findElectron(): { path: string } | { reason: string } {
  try {
    const require = createRequire(import.meta.url)
    const dir = dirname(require.resolve('electron/package.json'))
    const pathTxt = join(dir, 'path.txt')
    if (!existsSync(pathTxt))
      return { reason: 'the electron package is installed without its binary (no path.txt)' }
    const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim())
    return existsSync(bin) ? { path: bin } : { reason: `no Electron binary at ${bin}` }
  } catch (e) {
    return { reason: `the electron package is not installed: ${(e as Error).message}` }
  }
}
