import { createServer, type Server } from 'node:net'
import { readFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createPluginService,
  type PluginService,
  type PluginServiceEvent,
  type PluginSettings,
} from '../../src/engine/plugin-service.ts'
import { memoryPluginSettings } from '../../src/host/plugin-settings.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import type { PluginsState } from '../../src/shared/contract.ts'
import {
  invoke,
  sha256,
  uploadAsset,
  waitForStatus,
  type UploadedAsset,
} from '../sandbox/plugins/sandbox-helpers.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The plugin host switch over the real plugin host and the real sandbox, on real temp folders.

const tempFolder = tempFolders()
let sandbox: Sandbox
let asset: UploadedAsset
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  asset = await uploadAsset(sandbox, {
    title: 'Brief.txt',
    mediaType: 'text/plain',
    bytes: Buffer.from('warm light, soft shadows\n'),
  })
})

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

afterAll(async () => {
  await sandbox?.close()
})

/** A settings port that remembers what was saved. */
function recordingSettings(initial: Partial<PluginSettings> = {}) {
  const saved: PluginSettings[] = []
  const inner = memoryPluginSettings(initial)
  return {
    saved,
    port: {
      load: () => inner.load(),
      async save(settings: PluginSettings) {
        saved.push(settings)
        await inner.save(settings)
      },
    },
  }
}

async function service(
  settings = recordingSettings().port,
  defaultDest?: string,
): Promise<{ plugins: PluginService; events: PluginServiceEvent[]; home: string }> {
  const home = await tempFolder('pbs-plugin-service-')
  const plugins = await createPluginService({
    settings,
    defaultDest: defaultDest ?? join(home, 'downloads'),
    stateDir: join(home, 'state'),
    apiUrl: () => sandbox.url,
  })
  cleanups.push(() => plugins.close())
  const events: PluginServiceEvent[] = []
  plugins.subscribe((event) => events.push(event))
  return { plugins, events, home }
}

describe('a stored destination nobody chose', () => {
  it('goes back to the default folder instead of writing into a dot-folder', async () => {
    const settings = recordingSettings({
      enabled: false,
      port: 0,
      dest: join(homedir(), '.config', 'autostart'),
      secret: 'stored-secret-0123456789',
    })
    const { plugins } = await service(settings.port, join(tmpdir(), 'pbs-default-dest'))
    expect(plugins.state().dest).toBe(join(tmpdir(), 'pbs-default-dest'))
    expect(settings.saved.at(-1)?.dest).toBe(join(tmpdir(), 'pbs-default-dest'))
  })
})

function urlsOf(state: PluginsState) {
  if (state.status.kind !== 'on') throw new Error(`host is ${state.status.kind}`)
  return state.status.urls
}

describe('plugin service', () => {
  it('starts off, makes its secret once and keeps it', async () => {
    const settings = recordingSettings()
    const { plugins, home } = await service(settings.port)
    expect(plugins.state()).toEqual({
      enabled: false,
      port: 0,
      dest: join(home, 'downloads'),
      status: { kind: 'off' },
    })
    expect(settings.saved).toHaveLength(1)
    const secret = settings.saved[0]?.secret ?? ''
    expect(secret).toMatch(/^[A-Za-z0-9_-]{16,}$/)

    const on = await plugins.set({ enabled: true })
    expect(urlsOf(on)['send-to-desktop']).toContain(secret)
    expect(urlsOf(on)['web-versions']).toContain(secret)
    expect(settings.saved.at(-1)).toMatchObject({ enabled: true, secret })

    // A second launch over the same settings starts at once with the same secret.
    await plugins.close()
    const again = await createPluginService({
      settings: settings.port,
      defaultDest: join(home, 'downloads'),
      stateDir: join(home, 'state'),
      apiUrl: () => sandbox.url,
    })
    cleanups.push(() => again.close())
    expect(again.state().status.kind).toBe('on')
    expect(urlsOf(again.state())['send-to-desktop']).toContain(secret)
    expect(settings.saved.every((s) => s.secret === secret)).toBe(true)
  })

  it('repairs stored values that make no sense', async () => {
    const settings = recordingSettings({
      enabled: 'yes' as unknown as boolean,
      port: 99_999,
      dest: 'relative/path',
      secret: 'short',
    })
    const { plugins, home } = await service(settings.port)
    expect(plugins.state()).toMatchObject({
      enabled: false,
      port: 0,
      dest: join(home, 'downloads'),
    })
    expect(settings.saved[0]?.secret).toMatch(/^[A-Za-z0-9_-]{16,}$/)
  })

  it('refuses bad changes with the field named, and changes nothing', async () => {
    const { plugins } = await service()
    const before = plugins.state()
    await expect(plugins.set({ dest: 'downloads' })).rejects.toThrow(
      /dest must be an absolute folder path/,
    )
    await expect(plugins.set({ port: 70_000 })).rejects.toThrow(/port/)
    await expect(plugins.set({ secret: 'x'.repeat(20) })).rejects.toThrow(/secret/)
    await expect(plugins.set({ enabled: 'on' })).rejects.toThrow(/enabled/)
    expect(plugins.state()).toEqual(before)
  })

  it('serves an invocation into the chosen folder, reports items, and stops when turned off', async () => {
    const { plugins, events, home } = await service()
    const dest = join(home, 'chosen')
    await plugins.set({ dest })
    const on = await plugins.set({ enabled: true })
    expect(events.map((e) => e.type === 'state' && e.state.status.kind)).toContain('starting')

    const url = urlsOf(on)['send-to-desktop']
    const { pluginInvocationToken } = await invoke(sandbox, url, [asset.token])
    expect(await waitForStatus(sandbox, pluginInvocationToken)).toMatchObject({ status: 'success' })
    await plugins.idle()
    expect(sha256(await readFile(join(dest, 'Brief.txt')))).toBe(asset.sha256)
    const items = plugins.items()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      plugin: 'send-to-desktop',
      assetToken: asset.token,
      title: 'Brief.txt',
      state: { kind: 'done', path: join(dest, 'Brief.txt') },
    })
    expect(events.some((e) => e.type === 'item' && e.item.state.kind === 'queued')).toBe(true)

    const off = await plugins.set({ enabled: false })
    expect(off.status).toEqual({ kind: 'off' })
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow()
    // This run's rows stay for the activity list.
    expect(plugins.items()).toHaveLength(1)
  })

  it('shows a port it cannot bind as an error, and recovers when the port changes', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)))
    const taken = (blocker.address() as { port: number }).port
    const { plugins } = await service()

    const failed = await plugins.set({ port: taken, enabled: true })
    expect(failed.status.kind).toBe('error')
    expect(failed.status.kind === 'error' && failed.status.message).toMatch(/EADDRINUSE/)

    const fixed = await plugins.set({ port: 0 })
    expect(fixed.status.kind).toBe('on')
    expect(fixed.status.kind === 'on' && fixed.status.port).not.toBe(taken)
  })

  it('restarts on a new folder, and never runs two hosts for two quick toggles', async () => {
    const { plugins, home } = await service()
    const [first, second] = await Promise.all([
      plugins.set({ enabled: true }),
      plugins.set({ enabled: true }),
    ])
    expect(urlsOf(second)).toEqual(urlsOf(first))
    const moved = await plugins.set({ dest: join(home, 'elsewhere') })
    expect(moved.dest).toBe(join(home, 'elsewhere'))
    expect(moved.status.kind).toBe('on')
    const { pluginInvocationToken } = await invoke(sandbox, urlsOf(moved)['send-to-desktop'], [
      asset.token,
    ])
    await waitForStatus(sandbox, pluginInvocationToken)
    await plugins.idle()
    expect(sha256(await readFile(join(home, 'elsewhere', 'Brief.txt')))).toBe(asset.sha256)
  })
})
