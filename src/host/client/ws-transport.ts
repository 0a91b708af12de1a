/**
 * The browser side of the headless host: the contract over a WebSocket to the host that served the
 * page, and dropped files streamed to its upload endpoint. The renderer uses it when no preload
 * provided `window.playbook`.
 */
import type {
  ContractTransport,
  DroppedFile,
  EventChannel,
  ServerMessage,
} from '../../shared/contract.ts'
import { uploadSecretHeader, wirePaths } from '../../shared/contract-api.ts'

/** Whether the socket to the host is up; the renderer shows a banner while it is not. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed'

/** A transport plus what only a socket has: a connection status. */
export interface SocketTransport {
  readonly transport: ContractTransport
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  status(): ConnectionStatus
}

interface Pending {
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
}

const maxBackoffMs = 5_000

/** Connects to `ws(s)://<page host>/ws` and reconnects with backoff when the socket drops. */
export function createSocketTransport(location: {
  host: string
  protocol: string
}): SocketTransport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${wirePaths.socket}`
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  const pending = new Map<number, Pending>()
  const outbox: string[] = []
  let nextId = 1
  let socket: WebSocket | null = null
  let current: ConnectionStatus = 'connecting'
  let backoff = 250
  let uploadSecret: Promise<string>
  let gotSecret: (secret: string) => void = () => {}
  const resetSecret = () => {
    uploadSecret = new Promise((resolve) => (gotSecret = resolve))
  }
  resetSecret()

  const setStatus = (status: ConnectionStatus) => {
    current = status
    for (const listener of statusListeners) listener(status)
  }

  const connect = () => {
    setStatus('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.addEventListener('open', () => {
      backoff = 250
      setStatus('open')
      for (const message of outbox.splice(0)) ws.send(message)
    })
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage
      switch (message.type) {
        case 'hello':
          gotSecret(message.uploadSecret)
          break
        case 'result': {
          const waiting = pending.get(message.id)
          pending.delete(message.id)
          if (!waiting) break
          if (message.ok) waiting.resolve(message.value)
          else waiting.reject(new Error(message.error))
          break
        }
        case 'event':
          for (const listener of listeners.get(message.channel) ?? []) listener(message.payload)
          break
      }
    })
    ws.addEventListener('close', () => {
      socket = null
      outbox.length = 0
      for (const [id, waiting] of pending) {
        waiting.reject(new Error('Lost the connection to Playbook Sync'))
        pending.delete(id)
      }
      resetSecret()
      setStatus('closed')
      setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, maxBackoffMs)
    })
  }
  connect()

  const invoke = (channel: string, payload: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      const message = JSON.stringify({ type: 'invoke', id, channel, payload })
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(message)
      else outbox.push(message)
    })

  const transport: ContractTransport = {
    invoke,
    subscribe(channel: EventChannel, listener) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
    async sendFiles(files: readonly DroppedFile[], board: string) {
      const secret = await uploadSecret
      const ids: string[] = []
      for (const file of files) {
        const response = await fetch(`${wirePaths.upload}?name=${encodeURIComponent(file.name)}`, {
          method: 'PUT',
          headers: { [uploadSecretHeader]: secret },
          body: file as unknown as Blob,
        })
        const body = (await response.json()) as { id?: string; error?: string }
        if (!response.ok || !body.id) throw new Error(body.error ?? `Upload of ${file.name} failed`)
        ids.push(body.id)
      }
      if (ids.length === 0) return []
      return (await invoke('upload:staged', { ids, board })) as readonly string[]
    },
  }

  return {
    transport,
    status: () => current,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
  }
}
