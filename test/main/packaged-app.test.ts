/**
 * The packaged app: electron-builder packs this OS's unpacked target with a stand-in Electron
 * folder (no download; scripts/package.ts), the asar is extracted with @electron/asar, and the
 * built main boots from the packed files under the stand-in `electron`. This proves the shipped
 * layout carries everything main needs at run time: production dependencies only, sharp and its
 * `@img/*` binaries unpacked, the fuses set. Needs `npm run build` first (`npm test` builds).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { extractAll, listPackage } from '@electron/asar'
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeChannels } from '../../src/shared/contract.ts'
import { trayIconPngs } from '../../src/main/tray-icons.ts'
import { bootMain, projectRoot, type BootedMain } from './standin/boot.ts'
import { tempFolders } from '../support/temp-folders.ts'

/** How the fuse wire stores a fuse: the characters '0' and '1'. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const
const unpackedName = { linux: 'linux-unpacked', win32: 'win-unpacked', darwin: 'mac' } as const
let appRoot = ''
let resources = ''
let exe = ''
let asarFiles: string[] = []
const running: BootedMain[] = []
const tempFolder = tempFolders()

beforeAll(async () => {
  if (process.platform !== 'linux') return
  const out = await tempFolder('pbs-pack-')
  const result = spawnSync(
    process.execPath,
    [join(projectRoot, 'scripts', 'package.ts'), '--dir', `-c.directories.output=${out}`],
    { cwd: projectRoot, encoding: 'utf8' },
  )
  if (result.status !== 0) throw new Error(`packaging failed:\n${result.stdout}\n${result.stderr}`)
  // Installed somewhere awkward: spaces, `#` and `%` in the path.
  const packed = join(out, unpackedName[process.platform as keyof typeof unpackedName])
  appRoot = join(out, 'Playbook Sync #2 100%')
  await rename(packed, appRoot)
  resources = join(appRoot, 'resources')
  exe = join(appRoot, 'playbook-sync')
  asarFiles = listPackage(join(resources, 'app.asar'), { isPack: false })
  extractAll(join(resources, 'app.asar'), join(resources, 'app'))
}, 300_000)

afterAll(async () => {
  await Promise.all(running.map((m) => m.stop()))
})

// The stand-in Electron folder is a Linux one; macOS and Windows pack with the real binary in the
// release workflow.
describe.runIf(process.platform === 'linux')('the packaged app', () => {
  it('holds the bundles and only production dependencies, with sharp unpacked', async () => {
    for (const part of [
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/first-screen/index.js',
    ])
      expect(asarFiles).toContain(part)
    const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      devDependencies: Record<string, string>
    }
    for (const dep of Object.keys(pkg.dependencies))
      expect(asarFiles, dep).toContain(`/node_modules/${dep}`)
    for (const dev of Object.keys(pkg.devDependencies))
      expect(asarFiles, dev).not.toContain(`/node_modules/${dev}`)
    expect(asarFiles.some((f) => f.startsWith('/out/cli'))).toBe(false)
    expect(asarFiles.some((f) => f.endsWith('.map'))).toBe(false)
    const unpacked = join(resources, 'app.asar.unpacked', 'node_modules')
    expect(existsSync(join(unpacked, 'sharp', 'package.json'))).toBe(true)
    expect(existsSync(join(unpacked, '@img'))).toBe(true)
  })

  it('sets the fuses: no RunAsNode, no NODE_OPTIONS or inspect flags, asar only and checked', async () => {
    const wire = await getCurrentFuseWire(exe)
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
  })

  it('boots main from the packed files (packaged, under the stand-in electron)', async () => {
    const appDir = join(resources, 'app')
    const main = await bootMain({
      appDir,
      env: { STANDIN_PACKAGED: '1', STANDIN_RESOURCES: resources },
    })
    running.push(main)
    const record = await main.state()
    expect([...record.handled].sort()).toEqual(Object.keys(invokeChannels).sort())
    expect(fileURLToPath(record.windows[0]!.url!)).toBe(
      join(appDir, 'out', 'renderer', 'index.html'),
    )
    expect(record.tray).not.toBeNull()
    expect(await main.invoke('app:info')).toMatchObject({ name: 'Playbook Sync', host: 'electron' })
    // The packed sharp loads: a thumbnail of an uploaded image.
    await main.invoke('session:use-sandbox')
    const boards = (await main.invoke('boards:list', {})) as { token: string }[]
    const image = join(main.base, 'pixel.png')
    await writeFile(image, Buffer.from(trayIconPngs['idle-32'], 'base64'))
    const [id] = (await main.invoke('upload:paths', {
      paths: [image],
      board: boards[0]!.token,
    })) as string[]
    expect(await main.invoke('jobs:thumbnail', { id })).toMatch(/^data:image\/webp;base64,/)
    await main.send({ cmd: 'quit' })
    expect(await main.exited).toBe(0)
  })
})
