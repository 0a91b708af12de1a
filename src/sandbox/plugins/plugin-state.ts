/**
 * What the sandbox remembers about plugin invocations: one record per invocation it sent, found
 * by its token (admin routes) or its callback token (the callbackUrl). Kept per sandbox instance,
 * in memory: an invocation lives as long as the sandbox process that sent it.
 */
import { randomBytes } from 'node:crypto'
import type { SandboxContext } from '../context.ts'

/** Where an invocation stands, as the plugin last reported it. */
export type SandboxInvocationStatus = 'pending' | 'success' | 'failed'

/** One invocation the sandbox sent to a plugin. */
export interface SandboxInvocation {
  readonly token: string
  readonly callbackToken: string
  /** The plugin's invocation URL (may hold the plugin's secret: never logged). */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The exact JSON body sent, so a redelivery is byte-identical. */
  readonly body: string
  readonly assetTokens: readonly string[]
  status: SandboxInvocationStatus
  message: string | null
  /** HTTP status of the plugin's latest answer to the invocation; null when it could not be reached. */
  pluginStatus: number | null
  pluginError: string | null
  readonly created: string[]
  deliveries: number
}

/** The plugin routes' state for one sandbox. */
export interface PluginSandboxState {
  /** HMAC key for thumbnail URLs. */
  readonly key: Buffer
  readonly byToken: Map<string, SandboxInvocation>
  readonly byCallback: Map<string, SandboxInvocation>
  /** Rendered thumbnails, `<asset>/<width>` → JPEG bytes (small, bounded). */
  readonly thumbnails: Map<string, Buffer>
}

const states = new WeakMap<SandboxContext, PluginSandboxState>()

/** The state belonging to this sandbox's context, created on first use. */
export function pluginState(ctx: SandboxContext): PluginSandboxState {
  let state = states.get(ctx)
  if (state === undefined) {
    state = {
      key: randomBytes(32),
      byToken: new Map(),
      byCallback: new Map(),
      thumbnails: new Map(),
    }
    states.set(ctx, state)
  }
  return state
}
