/**
 * The preload: exposes exactly one object, `window.playbook`, built from the shared contract.
 * Bundled as CommonJS because a sandboxed preload cannot load ES modules.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createPlaybookApi, type ContractTransport } from '../shared/contract.ts'

const transport: ContractTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
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
