/**
 * The one IPC contract between the renderer and the engine's host (Electron main, or the headless
 * host over a WebSocket). Main validates every request with these schemas; the preload and the
 * browser client build `window.playbook` from it, so the types cannot drift.
 */
import { z } from 'zod'
import type { SessionState } from './account-models.ts'

/** Facts about the running app, for the about line and diagnostics. */
export interface AppInfo {
  readonly name: string
  readonly version: string
  readonly platform: string
  readonly host: 'electron' | 'headless'
}

/** Declares an invoke channel: the request's schema, and the response's type (phantom). */
function invoke<Req extends z.ZodType, Res>(request: Req): { readonly request: Req; readonly response: Res } {
  return { request, response: undefined as Res }
}

/** Declares an event channel carrying one payload type (phantom). */
function event<Payload>(): { readonly payload: Payload } {
  return { payload: undefined as Payload }
}

/** Renderer → host calls. */
export const invokeChannels = {
  'app:info': invoke<z.ZodUndefined, AppInfo>(z.undefined()),
  'session:get': invoke<z.ZodUndefined, SessionState>(z.undefined()),
} as const

/** Host → renderer pushes. */
export const eventChannels = {
  'session:changed': event<SessionState>(),
} as const

export type InvokeChannel = keyof typeof invokeChannels
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>
export type InvokeResponse<C extends InvokeChannel> = (typeof invokeChannels)[C]['response']
export type EventChannel = keyof typeof eventChannels
export type EventPayload<E extends EventChannel> = (typeof eventChannels)[E]['payload']

/** How calls and events travel: Electron IPC in the app, a WebSocket in the headless host. */
export interface ContractTransport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void
}

/** Builds the renderer-facing API from a transport; `window.playbook` is exactly this object. */
export function createPlaybookApi(transport: ContractTransport) {
  return {
    invoke<C extends InvokeChannel>(
      channel: C,
      ...payload: InvokeRequest<C> extends undefined ? [] : [InvokeRequest<C>]
    ): Promise<InvokeResponse<C>> {
      return transport.invoke(channel, payload[0]) as Promise<InvokeResponse<C>>
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
      return transport.subscribe(channel, listener as (payload: unknown) => void)
    },
  }
}

/** The type of `window.playbook`. */
export type PlaybookApi = ReturnType<typeof createPlaybookApi>

/** True when `channel` is a known invoke channel (untrusted strings from a socket or IPC). */
export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(invokeChannels, channel)
}
