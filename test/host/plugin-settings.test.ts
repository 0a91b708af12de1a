import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPluginService } from '../../src/engine/plugin-service.ts'
import { filePluginSettings } from '../../src/host/plugin-settings.ts'
import { tempFolders } from '../support/temp-folders.ts'

const tempFolder = tempFolders()
const tempDir = (): Promise<string> => tempFolder('pbs-plugin-settings-')

describe('headless host plugin settings file', () => {
  it('keeps the secret made on first start in a private file, across restarts', async () => {
    const dir = await tempDir()
    const file = join(dir, 'plugin-settings.json')
    const options = { settings: filePluginSettings(file), defaultDest: join(dir, 'downloads') }
    const first = await createPluginService(options)
    await first.set({ dest: join(dir, 'elsewhere'), port: 0 })
    await first.close()
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(await readFile(file, 'utf8')) as { secret: string; dest: string }
    expect(stored.secret).toMatch(/^[A-Za-z0-9_-]{16,}$/)
    expect(stored.dest).toBe(join(dir, 'elsewhere'))

    const second = await createPluginService(options)
    expect(second.state()).toMatchObject({ enabled: false, dest: join(dir, 'elsewhere') })
    await second.close()
    const again = JSON.parse(await readFile(file, 'utf8')) as { secret: string }
    expect(again.secret).toBe(stored.secret)
  })

  it('treats a missing or broken file as a fresh install', async () => {
    const dir = await tempDir()
    const file = join(dir, 'plugin-settings.json')
    expect(await filePluginSettings(file).load()).toBeNull()
    await writeFile(file, '{not json')
    expect(await filePluginSettings(file).load()).toBeNull()
    await writeFile(file, '"a string"')
    expect(await filePluginSettings(file).load()).toBeNull()
  })
})

describe('plugin settings that cannot be written', () => {
  it('do not stop the app from starting (the host stays off, a warning is logged)', async () => {
    const dir = await tempDir()
    // A settings "file" inside a regular file: every write fails for real (ENOTDIR).
    const blocker = join(dir, 'not-a-folder')
    await writeFile(blocker, 'x')
    const warnings: string[] = []
    const service = await createPluginService({
      settings: filePluginSettings(join(blocker, 'plugin-settings.json')),
      defaultDest: join(dir, 'downloads'),
      log: { info() {}, warn: (m) => void warnings.push(m), error() {} },
    })
    expect(service.state().status).toEqual({ kind: 'off' })
    expect(warnings.some((w) => /could not be saved/.test(w))).toBe(true)
    await service.close()
  })
})
