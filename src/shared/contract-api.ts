/**
 * The contract's runtime pieces a page needs, without its schemas: the typed API over a transport
 * (`window.playbook` is exactly this object) and the headless host's wire constants. Kept apart
 * from contract.ts so the renderer and the preload do not build every request schema at start-up
 * (validation happens on the host's side); contract.ts re-exports all of it.
 */
import type {
  ContractTransport,
  DroppedFile,
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from './contract.ts'

/** Builds the renderer-facing API from a transport; `window.playbook` is exactly this object. */
export function createPlaybookApi(transport: ContractTransport) {
  return {
    invoke<C extends InvokeChannel>(
      channel: C,
      ...payload: InvokeRequest<C> extends undefined ? [] : [InvokeRequest<C>]
    ): Promise<InvokeResponse<C>> {
      return transport.invoke(channel, payload[0]) as Promise<InvokeResponse<C>>
    },
    on<E extends EventChannel>(
      channel: E,
      listener: (payload: EventPayload<E>) => void,
    ): () => void {
      return transport.subscribe(channel, listener as (payload: unknown) => void)
    },
    sendFiles(files: readonly DroppedFile[], board: string): Promise<readonly string[]> {
      if (!transport.sendFiles) return Promise.reject(new Error('This window cannot take files'))
      return transport.sendFiles(files, board)
    },
  }
}

/** The type of `window.playbook`. */
export type PlaybookApi = ReturnType<typeof createPlaybookApi>

/** The WebSocket path and the upload endpoint the headless host serves. */
export const wirePaths = { socket: '/ws', upload: '/upload' } as const

/** The header carrying the per-session upload secret (it also forces a CORS preflight nobody grants). */
export const uploadSecretHeader = 'x-playbook-upload-secret'
