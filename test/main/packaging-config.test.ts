import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { appId, productName } from '../../src/main/app-identity.ts'
import { linkScheme } from '../../src/main/deep-link.ts'
import { settingsMigrationVersions } from '../../src/main/settings-migrations.ts'

const read = async (path: string) =>
  JSON.parse(await readFile(new URL(`../../${path}`, import.meta.url), 'utf8')) as Record<
    string,
    never
  >

/** Compares dotted versions numerically. */
const compare = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)]
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
  return 0
}

describe('packaging config', () => {
  it('uses the id main registers (Windows toasts) and declares the link scheme for every OS', async () => {
    const config = await read('electron-builder.json')
    expect(config.appId).toBe(appId)
    expect(config.productName).toBe(productName)
    // electron-builder writes CFBundleURLTypes (macOS), the desktop entry's
    // x-scheme-handler MimeType (Linux) and the installer's registration (Windows) from this.
    expect(config.protocols).toEqual([{ name: expect.any(String), schemes: [linkScheme] }])
    expect(config.mac).toMatchObject({ target: ['dmg', 'zip'] })
    expect(config.win).toMatchObject({ target: ['nsis'] })
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] })
    expect(config.asarUnpack).toEqual(['node_modules/sharp/**', 'node_modules/@img/**'])
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
    expect(config.publish).toEqual([{ provider: 'github', releaseType: 'draft' }])
  })

  it('keys every settings migration at or below the app version, so each one runs', async () => {
    const { version } = (await read('package.json')) as unknown as { version: string }
    for (const key of settingsMigrationVersions)
      expect(compare(key, version), key).toBeLessThanOrEqual(0)
  })
})
