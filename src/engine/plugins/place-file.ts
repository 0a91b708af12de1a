/**
 * Moves a finished download to its final, safe name in the destination folder without ever
 * replacing a file that is already there: "cat.jpg" is taken, so it becomes "cat (1).jpg".
 */
import { copyFile, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { composeFileName } from './safe-file-name.ts'
import type { SafeNameParts } from './safe-file-name.ts'

const maxSuffix = 10_000

/**
 * Reserves the first free name with an exclusive create (so two downloads racing for "cat.jpg"
 * cannot both get it, on case-insensitive file systems too), then renames the part file onto
 * the reservation. Returns the final path.
 */
export async function placeFile(
  partPath: string,
  dir: string,
  parts: SafeNameParts,
): Promise<string> {
  for (let n = 0; n < maxSuffix; n++) {
    const target = join(dir, composeFileName(parts, n))
    try {
      const handle = await open(target, 'wx')
      await handle.close()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw error
    }
    try {
      await rename(partPath, target)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') {
        await unlink(target).catch(() => {})
        throw error
      }
      await copyFile(partPath, target)
      await unlink(partPath)
    }
    return target
  }
  throw new Error(`no free file name for "${composeFileName(parts)}" in the destination folder`)
}
