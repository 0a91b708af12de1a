/**
 * The headless host's wire format: the same contract as JSON over a WebSocket, shared by the
 * server (src/host) and the browser client (src/host/client) so both sides agree. No validator:
 * the browser client loads it; contract.ts re-exports it.
 */

/** Browser → host over the socket. */
export type ClientMessage = {
  readonly type: 'invoke'
  readonly id: number
  readonly channel: string
  readonly payload?: unknown
}

/** Host → browser over the socket. */
export type ServerMessage =
  | { readonly type: 'hello'; readonly uploadSecret: string }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'event'; readonly channel: string; readonly payload: unknown }

/** Largest WebSocket message the host accepts (requests are small; files go over HTTP). */
export const maxMessageBytes = 4 * 1024 * 1024
