/**
 * The preload: exposes exactly one object, `window.playbook`, built from the shared contract.
 * Bundled as CommonJS because a sandboxed preload cannot load ES modules.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { ContractTransport } from '../shared/contract.ts'
import { createPlaybookApi } from '../shared/contract-api.ts'
import { placeWhenParsed, type FirstScreenDocument } from './first-screen.ts'

/**
 * Channels page script may not call directly. `upload:paths` uploads whatever paths it is given,
 * so it is reached only through `sendFiles`, whose paths come from real dropped `File`s (script
 * cannot make a File with a path); an injected script cannot name `~/.ssh/id_rsa` and upload it.
 * `first-screen:draw` is the preload's own (below): the page has no use for it.
 */
const preloadOnly: ReadonlyMap<string, string> = new Map([
  ['upload:paths', 'upload:paths is only reachable by dropping files'],
  ['first-screen:draw', 'first-screen:draw is the preload’s own'],
])

// Asked for before anything else, while the page is still loading: main draws the first screen
// and this places it in the page (first-screen.ts). A failure only loses the head start.
const page = globalThis as unknown as { document?: FirstScreenDocument; innerHeight?: number }
ipcRenderer
  .invoke('first-screen:draw', { viewHeight: page.innerHeight })
  .then((html: unknown) => {
    if (typeof html === 'string' && page.document) placeWhenParsed(page.document, html)
  })
  .catch(() => {})

const transport: ContractTransport = {
  invoke: (channel, payload) =>
    preloadOnly.has(channel)
      ? Promise.reject(new Error(preloadOnly.get(channel)))
      : ipcRenderer.invoke(channel, payload),
  subscribe(channel, listener) {
    const handler = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => ipcRenderer.removeListener(channel, handler)
  },
  // Dropped files (and folders) are on this machine: main reads them by path.
  async sendFiles(files, board) {
    const paths = files.map((file) => webUtils.getPathForFile(file as File)).filter((p) => p !== '')
    if (paths.length === 0) return []
    return (await ipcRenderer.invoke('upload:paths', { paths, board })) as readonly string[]
  },
}

/** The object the renderer sees as `window.playbook`. */
export const playbook = createPlaybookApi(transport)

contextBridge.exposeInMainWorld('playbook', playbook)
