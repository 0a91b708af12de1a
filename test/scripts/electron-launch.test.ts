import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { electronBinary, needsNoSandbox, noElectronMessage } from '../../scripts/electron-launch.ts'
import { tempFolders } from '../support/temp-folders.ts'

const script = fileURLToPath(new URL('../../scripts/electron-launch.ts', import.meta.url))
const tempFolder = tempFolders()

/** A project whose electron package has no binary and whose install.js cannot download. */
async function projectWithoutElectron(): Promise<string> {
  const root = await tempFolder('pbs-launch-')
  const electron = join(root, 'node_modules', 'electron')
  await mkdir(electron, { recursive: true })
  await writeFile(join(electron, 'package.json'), '{"name":"electron","version":"45.4.1"}')
  await writeFile(
    join(electron, 'install.js'),
    'console.error("download failed"); process.exit(1)\n',
  )
  return root
}

describe('npm start / npm run dev', () => {
  it('says what to do when no Electron binary can be had, instead of "Electron uninstall"', async () => {
    const root = await projectWithoutElectron()
    expect(electronBinary(root)).toBeNull()
    const run = spawnSync(process.execPath, [script, 'preview'], { cwd: root, encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(noElectronMessage)
    expect(run.stderr).toContain('npx playbook-sync host')
    expect(run.stdout).toContain('downloading it once')
  })

  it('finds a downloaded binary through path.txt', async () => {
    const root = await projectWithoutElectron()
    const electron = join(root, 'node_modules', 'electron')
    await writeFile(join(electron, 'path.txt'), 'electron')
    await mkdir(join(electron, 'dist'))
    await writeFile(join(electron, 'dist', 'electron'), '')
    expect(electronBinary(root)).toBe(join(electron, 'dist', 'electron'))
  })

  it('runs without the Chromium sandbox in development only where Linux forbids it', () => {
    const restricted = {
      platform: 'linux',
      helper: { uid: 1000, mode: 0o100755 },
      appArmorRestricts: '1\n',
      usernsClone: null,
    }
    expect(needsNoSandbox(restricted)).toBe(true)
    expect(needsNoSandbox({ ...restricted, usernsClone: '0', appArmorRestricts: null })).toBe(true)
    // A root-owned setuid chrome-sandbox works: keep the sandbox.
    expect(needsNoSandbox({ ...restricted, helper: { uid: 0, mode: 0o104755 } })).toBe(false)
    expect(needsNoSandbox({ ...restricted, appArmorRestricts: '0' })).toBe(false)
    expect(needsNoSandbox({ ...restricted, platform: 'darwin' })).toBe(false)
  })
})
