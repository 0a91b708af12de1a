/**
 * Plugin work (seed 001) as every process sees it: the plugin host reports one snapshot per invoked
 * asset, and the activity list shows them next to the uploads. Owned by src/engine/plugins.
 */

/** A Playbook plugin this app hosts, as it appears in its invocation URL. */
export type PluginName = 'send-to-desktop' | 'web-versions'

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
