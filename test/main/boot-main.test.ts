/**
 * Boots the BUILT main (out/main) under Node with the stand-in `electron` (no Electron binary runs
 * here; the `_electron` Playwright specs cover the real one in CI), from install folders whose
 * paths hold spaces, `#` and `%`, with and without a loadable sharp. Needs `npm run build` first
 * (`npm test` builds).
 */
import { createServer, type Server, type Socket } from 'node:net'
import { existsSync } from 'node:fs'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventChannels, invokeChannels } from '../../src/shared/contract.ts'
import { appId } from '../../src/main/app-identity.ts'
import { startSandbox } from '../../src/sandbox/index.ts'
import { bootMain, makeInstall, type BootedMain } from './standin/boot.ts'
import type { RecordedMenuItem, StandInRecord } from './standin/protocol.ts'
import { tempFolders } from '../support/temp-folders.ts'

const oddName = 'Play book #1 100% (test)'
let appDir = ''
const running: BootedMain[] = []
// Before the afterAll below, so the install goes only once every main booted from it stopped.
const tempFolder = tempFolders()

beforeAll(async () => {
  ;({ appDir } = await makeInstall(oddName, await tempFolder('pbs-install-')))
})
afterAll(async () => {
  await Promise.all(running.map((m) => m.stop()))
})

async function boot(options: Omit<Parameters<typeof bootMain>[0], 'appDir'> = {}) {
  const main = await bootMain({ appDir, ...options })
  running.push(main)
  return main
}

const labels = (items: readonly RecordedMenuItem[]) => items.map((i) => i.label ?? '—')
const item = (record: StandInRecord, prefix: string) =>
  record.tray?.menu.find((i) => i.label?.startsWith(prefix))

function expectOnlyContractEvents(record: StandInRecord) {
  for (const { channel } of record.sent) expect(Object.keys(eventChannels)).toContain(channel)
}

describe('the built main under a stand-in electron', () => {
  it('starts from an odd install path: locked-down window, preload and renderer that exist, the whole contract served', async () => {
    const main = await boot()
    const record = await main.state()
    expect(record.windows).toHaveLength(1)
    const [win] = record.windows
    const prefs = win!.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
    expect(prefs.preload).toBe(join(appDir, 'out', 'preload', 'index.cjs'))
    expect(existsSync(prefs.preload as string)).toBe(true)
    // The URL names the real file despite `#` and `%` in the path.
    expect(fileURLToPath(win!.url!)).toBe(join(appDir, 'out', 'renderer', 'index.html'))
    expect(existsSync(fileURLToPath(win!.url!))).toBe(true)
    // Every invoke channel is served, and nothing else is listened to.
    expect([...record.handled].sort()).toEqual(Object.keys(invokeChannels).sort())
    expect(record.listened).toEqual([])
    expect(record.calls.map((c) => c.api)).toContain('app.enableSandbox')
    // The renderer's calls pass the sender check (with a `%` in the path every call failed it).
    expect(await main.invoke('app:info')).toMatchObject({ host: 'electron', version: '0.1.0' })
    await expect(main.invoke('jobs:snapshot', { newest: 100 })).resolves.toBeDefined()
    for (const channel of [
      'session:get',
      'settings:get',
      'plugins:get',
      'pairs:list',
      'plugins:items',
    ])
      await expect(main.invoke(channel), channel).resolves.toBeDefined()
    // A frame showing anything else is refused.
    await expect(main.invoke('app:info', undefined, 'https://evil.test/')).rejects.toThrow(
      /untrusted sender/,
    )
    // Settings change: an event on a contract channel; no log lines mirrored to the window.
    await main.invoke('settings:set', { notifications: false })
    const after = await main.until((r) => r.sent.some((s) => s.channel === 'settings:changed'))
    expectOnlyContractEvents(after)
    expect(await main.invoke('update:get')).toMatchObject({ kind: 'disabled' })
    // Signed out: no first screen is drawn for the preload (the sign-in screen loads when shown).
    expect(await main.invoke('first-screen:draw')).toBeNull()
  })

  it('starts when sharp cannot load (no native binary): window, tray and single-instance lock', async () => {
    const main = await boot({ env: { STANDIN_SHARP: 'broken' } })
    const record = await main.state()
    expect(record.windows).toHaveLength(1)
    expect(record.tray).not.toBeNull()
    expect(record.calls.map((c) => c.api)).toContain('app.requestSingleInstanceLock')
    expect(await main.invoke('app:info')).toMatchObject({ name: 'Playbook Sync' })
  })

  it('starts on a poorer runtime (no Tray, Notification or safeStorage exports, no session or sandbox switch)', async () => {
    const main = await boot({ env: { STANDIN_MINIMAL: '1', STANDIN_SHARP: 'broken' } })
    const record = await main.state()
    expect(record.tray).toBeNull()
    expect([...record.handled].sort()).toEqual(Object.keys(invokeChannels).sort())
    expect(await main.invoke('session:get')).toMatchObject({ kind: 'signed-out' })
    await main.send({ cmd: 'quit' })
    expect(await main.exited).toBe(0)
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and registers the Windows toast id', async () => {
    const main = await boot({
      env: {
        STANDIN_PACKAGED: '1',
        ELECTRON_RENDERER_URL: 'https://evil.test/',
        STANDIN_PLATFORM: 'win32',
      },
    })
    const record = await main.state()
    expect(fileURLToPath(record.windows[0]!.url!)).toBe(
      join(appDir, 'out', 'renderer', 'index.html'),
    )
    expect(record.calls).toContainEqual({ api: 'app.setAppUserModelId', args: [appId] })
    // A packaged app that is no installed release says why it does not update.
    const status = (await main.invoke('update:get')) as { kind: string }
    expect(['disabled', 'idle', 'checking', 'error']).toContain(status.kind)
  })

  it('takes sign-in links from a cold start, a second instance and open-url, only when it asked for one, naming the e-mail', async () => {
    const sandbox = await startSandbox()
    try {
      // A cold-start link nobody asked for is ignored without a dialog.
      const main = await boot({ argv: ['playbook-sync://auth?code=cold-start-code&state=nonce'] })
      await main.invoke('session:request-link', { apiUrl: sandbox.url, email: 'ana@studio.test' })
      const mails = (await (await fetch(`${sandbox.url}/__sandbox/mailbox`)).json()) as {
        data: { to: string; link: string }[]
      }
      const mailed = mails.data.filter((m) => m.to === 'ana@studio.test').at(-1)?.link ?? ''
      const query = new URL(mailed).search
      // While it waits: a second instance's and macOS' links are confirmed in a dialog naming the e-mail.
      await main.send({
        cmd: 'second-instance',
        argv: ['app', 'playbook-sync://auth?code=second&state=forged'],
      })
      await main.until((r) => r.dialogs.length === 1)
      await main.send({ cmd: 'open-url', url: 'playbook-sync://auth?code=from-macos&state=forged' })
      await main.until((r) => r.dialogs.length === 2)
      // A link that is no sign-in link, or a malformed one, is ignored without asking.
      await main.send({ cmd: 'open-url', url: 'playbook-sync://evil?x=1' })
      await main.send({
        cmd: 'second-instance',
        argv: ['app', 'playbook-sync://auth?code=bad code!&state=x'],
      })
      // Confirming the mailed link signs in.
      await main.send({ cmd: 'dialog-responses', responses: [0] })
      await main.send({ cmd: 'open-url', url: `playbook-sync://auth${query}` })
      const record = await main.until((r) => r.dialogs.length === 3)
      expect(
        record.dialogs.every((d) => d.message === 'Sign in to Playbook as ana@studio.test?'),
      ).toBe(true)
      await expect
        .poll(async () => ((await main.invoke('session:get')) as { kind: string }).kind)
        .toBe('signed-in')
      expect((await main.state()).dialogs).toHaveLength(3)
      expect(record.windows[0]!.shown).toBe(true)
    } finally {
      await sandbox.close()
    }
  })

  it('tray items do what they say', async () => {
    const main = await boot()
    await main.invoke('session:use-sandbox')
    // Signed in: main draws the activity screen for the preload, with the drawing it found in
    // the install's out/first-screen.
    const drawn = (await main.invoke('first-screen:draw', { viewHeight: 640 })) as string
    expect(drawn).toContain('<h1 id="activity-title"')
    expect(drawn).not.toContain(' style="')
    const boards = (await main.invoke('boards:list', {})) as { token: string; title: string }[]
    const folder = join(main.base, 'Renders')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a.txt'), 'hello')
    // The folder comes from the native dialog, as a handle (the renderer never names a path).
    await main.send({ cmd: 'open-dialog-paths', paths: [folder] })
    const choice = (await main.invoke('dialog:pick-folder', { purpose: 'pair' })) as {
      handle: string
      path: string
    }
    expect(choice.path).toBe(folder)
    await main.invoke('pairs:add', {
      folder: choice.handle,
      board: boards[0]!.token,
      boardTitle: boards[0]!.title,
    })
    let record = await main.until((r) => Boolean(item(r, 'Renders →')))
    expect(item(record, 'Renders →')!.label).toContain(boards[0]!.title)

    // Sync issues' "Show file" / "Open folder" open the OS file manager, inside the pair only.
    const pairs = (await main.invoke('pairs:list')) as { id: string }[]
    expect(await main.invoke('issues:reveal', { pairId: pairs[0]!.id, relPath: 'a.txt' })).toEqual({
      path: join(folder, 'a.txt'),
      opened: true,
    })
    await expect(
      main.invoke('issues:reveal', { pairId: pairs[0]!.id, relPath: '../../etc/passwd' }),
    ).rejects.toThrow(/not in the folder/)
    record = await main.state()
    expect(record.calls).toContainEqual({
      api: 'shell.showItemInFolder',
      args: [join(folder, 'a.txt')],
    })

    await main.send({ cmd: 'click', path: ['Renders →', 'Open folder'] })
    await main.send({ cmd: 'click', path: ['Renders →', 'Open board'] })
    record = await main.until((r) => r.calls.some((c) => c.api === 'shell.openExternal'))
    expect(record.calls).toContainEqual({ api: 'shell.openPath', args: [folder] })
    const opened = record.calls.find((c) => c.api === 'shell.openExternal')!.args[0] as string
    expect(opened).toMatch(/^https?:\/\//)

    await main.send({ cmd: 'click', path: ['Renders →', 'Pause'] })
    record = await main.until((r) => item(r, 'Renders →')?.label?.endsWith('Paused') ?? false)
    await main.send({ cmd: 'click', path: ['Renders →', 'Resume'] })
    await main.until((r) => !(item(r, 'Renders →')?.label?.endsWith('Paused') ?? true))

    await main.send({ cmd: 'click', path: ['Pause for 1 hour'] })
    record = await main.until((r) => Boolean(item(r, 'Resume syncing (paused until')))
    expect(
      ((await main.invoke('jobs:snapshot', {})) as { totals: { paused: boolean } }).totals.paused,
    ).toBe(true)
    await main.send({ cmd: 'click', path: ['Resume syncing'] })
    await main.until((r) => Boolean(item(r, 'Pause until tomorrow')))
    expect(
      ((await main.invoke('jobs:snapshot', {})) as { totals: { paused: boolean } }).totals.paused,
    ).toBe(false)

    await main.send({ cmd: 'click', path: ['Check for updates'] })
    await main.until((r) => r.notifications.some((n) => n.title === 'Updates are off'))
    // The menu bar has it too.
    await main.send({ cmd: 'click', menu: 'app', path: ['File', 'Check for Updates…'] })
    await main.until(
      (r) => r.notifications.filter((n) => n.title === 'Updates are off').length === 2,
    )
    await main.send({ cmd: 'click', path: ['Show logs'] })
    await main.until((r) => r.calls.some((c) => c.api === 'shell.showItemInFolder'))
    expect(labels(record.tray!.menu)).toContain('Quit Playbook Sync')
    await main.send({ cmd: 'click', path: ['Quit Playbook Sync'] })
    expect(await main.exited).toBe(0)
  })

  it('quits within its bound while a request hangs', async () => {
    // A server that accepts connections and never answers.
    const sockets: Socket[] = []
    const server: Server = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      const main = await boot()
      const hanging = main
        .invoke('session:sign-in-token', { apiUrl: `http://127.0.0.1:${port}`, token: 'tok' })
        .catch(() => 'gone')
      while (sockets.length === 0) await new Promise((r) => setTimeout(r, 50))
      await main.send({ cmd: 'quit' })
      expect(await main.exited).toBe(0)
      expect(await hanging).toBe('gone')
    } finally {
      for (const s of sockets) s.destroy()
      server.close()
    }
  })

  it('logs an uncaught exception with its stack, and carries on', async () => {
    const main = await boot()
    await main.send({ cmd: 'throw', message: 'boom from a test' })
    const logFile = join(main.base, 'userData', 'logs', 'main.log')
    let text = ''
    while (!text.includes('boom from a test')) {
      text = await readFile(logFile, 'utf8').catch(() => '')
      await new Promise((r) => setTimeout(r, 50))
    }
    await new Promise((r) => setTimeout(r, 200))
    text = await readFile(logFile, 'utf8')
    expect(text).toMatch(/boom from a test[\s\S]*at /)
    expect(await main.invoke('app:info')).toBeDefined()
  })

  it('keeps settings written by the first builds (migration runs, nothing wiped), in a private file', async () => {
    const base = join(appDir, '..', '..', '..', 'old-settings-user')
    const userData = join(base, 'userData')
    await mkdir(userData, { recursive: true })
    const secret = 'a'.repeat(32)
    await writeFile(
      join(userData, 'app-settings.json'),
      JSON.stringify({
        bwlimit: 500000,
        ignorePatterns: '*.psd, tmp/ ,',
        notifications: false,
        partnerBootstrapped: true,
        plugins: { enabled: false, port: 0, dest: join(base, 'dest'), secret },
      }),
    )
    const main = await boot({ base })
    expect(await main.invoke('settings:get')).toMatchObject({
      bandwidthLimit: 500000,
      ignorePatterns: ['*.psd', 'tmp/'],
      notifications: false,
    })
    const file = JSON.parse(await readFile(join(userData, 'app-settings.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(file.partnerBootstrapped).toBe(true)
    expect((file.plugins as { secret: string }).secret).toBe(secret)
    if (process.platform !== 'win32')
      expect((await stat(join(userData, 'app-settings.json'))).mode & 0o777).toBe(0o600)
  })

  it.runIf(process.platform === 'linux')(
    'starts at login on Linux through an autostart entry',
    async () => {
      const main = await boot()
      const entry = join(main.home, '.config', 'autostart', 'playbook-sync.desktop')
      await main.invoke('settings:set', { startAtLogin: true })
      while (!existsSync(entry)) await new Promise((r) => setTimeout(r, 50))
      const text = await readFile(entry, 'utf8')
      expect(text).toContain('[Desktop Entry]')
      expect(text).toMatch(/^Exec=.*--hidden$/m)
      await main.invoke('settings:set', { startAtLogin: false })
      while (existsSync(entry)) await new Promise((r) => setTimeout(r, 50))
    },
  )
})
