/**
 * The BUILT preload (out/preload/index.cjs) run in a vm shaped like Electron's sandboxed preload:
 * a `require` that only knows `electron` (the renderer-side modules), `events`, `timers` and
 * `url`, no Node globals beyond the few Electron provides. It must load, expose exactly one
 * object (`window.playbook`) made from the contract, and route calls to the contract channels.
 * Needs `npm run build` first (`npm test` builds).
 */
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as timers from 'node:timers'
import * as url from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { invokeChannels } from '../../src/shared/contract.ts'
import { projectRoot } from '../main/standin/boot.ts'

/** What a sandboxed preload's `require('electron')` offers. */
const sandboxedElectronModules = [
  'contextBridge',
  'crashReporter',
  'ipcRenderer',
  'nativeImage',
  'webFrame',
  'webUtils',
]

async function loadPreload() {
  const code = await readFile(join(projectRoot, 'out', 'preload', 'index.cjs'), 'utf8')
  const exposed = new Map<string, unknown>()
  const invoked: { channel: string; payload: unknown }[] = []
  const ipc = new EventEmitter()
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push({ channel, payload })
        return { channel }
      },
      on: (channel: string, listener: (...a: unknown[]) => void) => ipc.on(channel, listener),
      removeListener: (channel: string, listener: (...a: unknown[]) => void) =>
        ipc.removeListener(channel, listener),
    },
    webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
    crashReporter: {},
    nativeImage: {},
    webFrame: {},
  }
  expect(Object.keys(electron).sort()).toEqual([...sandboxedElectronModules].sort())
  const allowed: Record<string, unknown> = { electron, events: { EventEmitter }, timers, url }
  const required: string[] = []
  const module = { exports: {} as Record<string, unknown> }
  const context = createContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name)
      if (!Object.hasOwn(allowed, name)) throw new Error(`module not found: ${name}`)
      return allowed[name]
    },
    // The sandboxed preload's process is a small subset.
    process: { platform: 'linux', type: 'renderer', env: {}, versions: {} },
    Buffer,
    setTimeout,
    clearTimeout,
    setImmediate,
    clearImmediate,
    queueMicrotask,
    console,
  })
  runInContext(code, context, { filename: 'index.cjs' })
  return { exposed, invoked, ipc, required }
}

describe('the built preload in a sandboxed-preload vm', () => {
  it('loads with only the modules a sandboxed preload may require', async () => {
    const { required } = await loadPreload()
    expect(required.every((name) => ['electron', 'events', 'timers', 'url'].includes(name))).toBe(
      true,
    )
  })

  it('exposes exactly window.playbook, shaped by the contract', async () => {
    const { exposed, invoked, ipc } = await loadPreload()
    expect([...exposed.keys()]).toEqual(['playbook'])
    const api = exposed.get('playbook') as Record<string, (...a: unknown[]) => unknown>
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'sendFiles'])
    // Calls go out on the contract's channels, as given.
    for (const channel of Object.keys(invokeChannels).filter((c) => c !== 'upload:paths'))
      await api.invoke!(channel, undefined)
    expect(invoked.map((i) => i.channel)).toEqual(
      Object.keys(invokeChannels).filter((c) => c !== 'upload:paths'),
    )
    // upload:paths only through sendFiles (paths from real dropped files).
    await expect(
      api.invoke!('upload:paths', { paths: ['/etc/passwd'], board: 'b' }),
    ).rejects.toThrow(/dropping files/)
    await api.sendFiles!(
      [{ name: 'a.png', size: 1, type: 'image/png', path: '/tmp/a.png' }],
      'board',
    )
    expect(invoked.at(-1)).toEqual({
      channel: 'upload:paths',
      payload: { paths: ['/tmp/a.png'], board: 'board' },
    })
    // Events arrive without Electron's event object, and unsubscribing works.
    const got: unknown[] = []
    const off = api.on!('job:changed', (payload: unknown) => got.push(payload)) as () => void
    ipc.emit('job:changed', { sender: 'x' }, { id: 'j1' })
    off()
    ipc.emit('job:changed', { sender: 'x' }, { id: 'j2' })
    expect(got).toEqual([{ id: 'j1' }])
  })
})
