/**
 * What the plugin host tells the app while it works, so the activity list can show each download
 * and web version next to the uploads: one snapshot per invoked asset, updated as it moves.
 */

import type { PluginItemSnapshot, PluginName } from '../../shared/plugin-models.ts'

export type { PluginItemSnapshot, PluginItemState, PluginName } from '../../shared/plugin-models.ts'

/** The plugins this host serves. */
export const pluginNames = [
  'send-to-desktop',
  'web-versions',
] as const satisfies readonly PluginName[]

/** Everything the host reports, one event per change. */
export type PluginHostEvent =
  | {
      readonly type: 'invocation-accepted'
      readonly plugin: PluginName
      readonly invocationToken: string
      readonly assetCount: number
      readonly resumed: boolean
    }
  | {
      readonly type: 'invocation-duplicate'
      readonly plugin: PluginName
      readonly invocationToken: string
    }
  | { readonly type: 'invocation-refused'; readonly status: number; readonly reason: string }
  | { readonly type: 'item'; readonly item: PluginItemSnapshot }
  | {
      readonly type: 'invocation-finished'
      readonly plugin: PluginName
      readonly invocationToken: string
      readonly status: 'success' | 'failed'
      readonly message: string
      /** False when the status could not be delivered to the callback URL. */
      readonly reported: boolean
    }

/** Listener for host events. */
export type PluginHostListener = (event: PluginHostEvent) => void
