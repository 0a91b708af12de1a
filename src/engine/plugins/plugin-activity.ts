/**
 * What the plugin host tells the app while it works, so the activity list can show each download
 * and web version next to the uploads: one snapshot per invoked asset, updated as it moves.
 */

/** The plugins this host serves. */
export const pluginNames = ['send-to-desktop', 'web-versions'] as const

/** A plugin's name, as it appears in its invocation URL. */
export type PluginName = (typeof pluginNames)[number]

/** Where one invoked asset is. */
export type PluginItemState =
  | { readonly kind: 'queued' }
  | { readonly kind: 'downloading'; readonly bytesDone: number; readonly bytesTotal: number | null }
  | { readonly kind: 'converting' }
  | { readonly kind: 'uploading' }
  /** `path`: the saved file (send-to-desktop); `createdAssetToken`: the web version's asset. */
  | { readonly kind: 'done'; readonly path?: string; readonly createdAssetToken?: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }

/** One invoked asset's work, as an activity row. */
export interface PluginItemSnapshot {
  /** `<invocationToken>:<index>`: unique per asset per invocation. */
  readonly id: string
  readonly plugin: PluginName
  readonly invocationToken: string
  readonly assetToken: string
  readonly title: string
  readonly state: PluginItemState
  readonly updatedAt: number
}

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
