import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/engine/app.ts'
import { createFileSecretStore, tokenFile } from '../../src/engine/account/file-secret-store.ts'
import { createFileLogger } from '../../src/cli/log/file-logger.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The home folder and everything in it are the owner's only, also when an older version (or a
// umask of 022) left them readable by other users of the machine.

const modeOf = async (path: string) => (await stat(path)).mode & 0o777
const tempFolder = tempFolders()
let dir: string
let sandbox: Sandbox

beforeAll(async () => {
  dir = await tempFolder('pbs-modes-')
  sandbox = await startSandbox({ port: 0 })
})
afterAll(async () => {
  await sandbox?.close()
})

describe('file modes of the CLI/host home', () => {
  it('makes the home 0700 and the database, settings, token and logs 0600', async () => {
    const home = join(dir, 'home')
    // What an older version left: a world-readable home and database.
    await mkdir(home, { mode: 0o755 })
    await chmod(home, 0o755)
    await writeFile(join(home, 'state.db'), '', { mode: 0o644 })
    await chmod(join(home, 'state.db'), 0o644)
    const log = createFileLogger(home)
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log,
      startSync: false,
    })
    try {
      await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
      log.info('hello')
      await log.flush()
      expect(await modeOf(home)).toBe(0o700)
      for (const name of await readdir(home)) {
        const path = join(home, name)
        const info = await stat(path)
        expect(info.mode & 0o077, name).toBe(0)
        if (info.isFile()) expect(info.mode & 0o777, name).toBe(0o600)
      }
      expect(await modeOf(join(home, 'logs'))).toBe(0o700)
      for (const name of await readdir(join(home, 'logs')))
        expect(await modeOf(join(home, 'logs', name)), name).toBe(0o600)
      expect((await readdir(home)).sort()).toEqual(
        expect.arrayContaining(['state.db', 'state.db-wal', 'settings.json', 'token', 'logs']),
      )
    } finally {
      await engine.close()
    }
  })
})
