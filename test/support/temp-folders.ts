/**
 * Real temp folders for specs that work on real files, made and removed in one place instead of
 * each spec writing out its own `mkdtemp` and `rm`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, onTestFinished } from 'vitest'

/** What `tempFolders()` returns: makes a new, empty folder `<tmpdir>/<prefix><random>`. */
export type TempFolder = (prefix: string) => Promise<string>

/**
 * Real temp folders for specs that work on real files: made on demand, each removed (with
 * everything in it) after the test that made it, or after the whole file (or `describe`) for
 * folders made in `beforeAll`. One place for what ~60 specs each wrote out.
 *
 * Call it at file or `describe` level, before registering the spec's own hooks. A folder made in
 * a test or a `beforeEach` is removed once that test finished, after all its `afterEach` hooks
 * (`onTestFinished`), so the spec's own clean-up (closing a database, stopping a server or a
 * child in the folder) always runs first. A folder made outside a test (`beforeAll`) is removed
 * in the `afterAll` registered here, which runs after the `afterAll` hooks the spec registers
 * later in the same block (Vitest runs "after" hooks in reverse order, `sequence.hooks: 'stack'`).
 * That `afterAll` also removes any per-test folder still there (Vitest documents that a test
 * skipped with a dynamic `ctx.skip()` may not run its `onTestFinished` hooks).
 */
export function tempFolders(): TempFolder {
  const left = new Set<string>()
  const remove = async (path: string): Promise<void> => {
    await rm(path, { recursive: true, force: true })
    left.delete(path)
  }
  afterAll(async () => {
    for (const path of [...left]) await remove(path)
  })
  return async (prefix) => {
    const path = await mkdtemp(join(tmpdir(), prefix))
    left.add(path)
    try {
      // Throws when no test is running (a `beforeAll`): then the `afterAll` above removes it.
      onTestFinished(() => remove(path))
    } catch {
      // Made for the whole block.
    }
    return path
  }
}
