/**
 * Which transport carries the contract: the preload's `window.playbook` in Electron, otherwise a
 * WebSocket to the headless host that served this page. The rest of the renderer only sees
 * `PlaybookApi`.
 */
import { createPlaybookApi, type PlaybookApi } from '../../shared/contract-api.ts'
import { createSocketTransport, type ConnectionStatus } from '../../host/client/ws-transport.ts'

/** The API plus the connection status (always 'open' over Electron IPC). */
export interface Connection {
  readonly api: PlaybookApi
  readonly kind: 'electron' | 'socket'
  status(): ConnectionStatus
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  /** Opens an http(s) page in the user's browser (through main in Electron, a new tab otherwise). */
  openExternal(url: string): Promise<void>
}

/** Picks the transport once, at start-up. */
export function connect(): Connection {
  const exposed = window.playbook
  if (exposed) {
    return {
      api: exposed,
      kind: 'electron',
      status: () => 'open',
      onStatus: () => () => {},
      openExternal: (url) => exposed.invoke('shell:open-external', { url }),
    }
  }
  const socket = createSocketTransport(window.location)
  return {
    api: createPlaybookApi(socket.transport),
    kind: 'socket',
    status: socket.status,
    onStatus: socket.onStatus,
    openExternal: async (url) => {
      if (!/^https?:\/\//.test(url)) throw new Error('Only http(s) links open in the browser')
      window.open(url, '_blank', 'noopener,noreferrer')
    },
  }
}
