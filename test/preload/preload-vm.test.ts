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

/** A page document as far as placing the first screen goes: #root holding the outline. */
function stubDocument() {
  const placed: unknown[][] = []
  const template = {
    innerHTML: '',
    content: { querySelectorAll: () => [] as unknown[] },
  }
  return {
    placed,
    template,
    document: {
      readyState: 'interactive',
      getElementById: (id: string) =>
        id === 'root'
          ? {
              firstElementChild: { hasAttribute: (name: string) => name === 'data-outline' },
              replaceChildren: (...nodes: unknown[]) => placed.push(nodes),
            }
          : null,
      createElement: () => template,
      addEventListener: () => {},
      removeEventListener: () => {},
    },
  }
}

async function loadPreload(drawn: string | null = null) {
  const code = await readFile(join(projectRoot, 'out', 'preload', 'index.cjs'), 'utf8')
  const page = stubDocument()
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
        return channel === 'first-screen:draw' ? drawn : { channel }
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
    document: page.document,
  })
  runInContext(code, context, { filename: 'index.cjs' })
  // Let the first screen's answer arrive.
  await new Promise((resolve) => setImmediate(resolve))
  return { exposed, invoked, ipc, required, page }
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
    // The preload's own call, made as it loads: the first screen.
    expect(invoked.splice(0).map((i) => i.channel)).toEqual(['first-screen:draw'])
    // Calls go out on the contract's channels, as given.
    const pageChannels = Object.keys(invokeChannels).filter(
      (c) => c !== 'upload:paths' && c !== 'first-screen:draw',
    )
    for (const channel of pageChannels) await api.invoke!(channel, undefined)
    expect(invoked.map((i) => i.channel)).toEqual(pageChannels)
    await expect(api.invoke!('first-screen:draw', undefined)).rejects.toThrow(/preload’s own/)
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

  it('places the first screen main drew in #root while the outline is there, and nothing when main drew none', async () => {
    const drawn = await loadPreload('<div class="app-frame">the list</div>')
    expect(drawn.page.template.innerHTML).toBe('<div class="app-frame">the list</div>')
    expect(drawn.page.placed).toEqual([[drawn.page.template.content]])
    const none = await loadPreload(null)
    expect(none.page.placed).toEqual([])
  })
})
