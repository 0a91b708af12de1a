/**
 * Folder pairs (a local folder synced to a board) as every process sees them. Owned by the sync
 * engine (src/engine/sync); the renderer and CLI only read these snapshots.
 */

/** What a pair is doing now. */
export type PairStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'scanning' }
  | { readonly kind: 'syncing' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'error'; readonly reason: string; readonly hint?: string }

/** What to do when a synced file's bytes change. */
export type ChangePolicy = 'new-asset' | 'skip'

/** A pair's settings, chosen when it is created and editable later. */
export interface PairSettings {
  readonly onChange: ChangePolicy
  /** The same bytes twice in one pair become one asset. */
  readonly dedupeContent: boolean
  /** Put the file's path relative to the folder in the asset description. */
  readonly describeWithPath: boolean
  readonly ignorePatterns: readonly string[]
  readonly includeHidden: boolean
  /** Poll instead of native events (network drives). */
  readonly usePolling: boolean
  /** How long size and mtime must stay still before a file counts as saved. */
  readonly settleMs: number
}

/** One pair with its live counts. */
export interface PairSnapshot {
  readonly id: string
  readonly folder: string
  readonly org: string
  readonly board: string
  readonly boardTitle?: string
  readonly settings: PairSettings
  readonly status: PairStatus
  readonly counts: {
    readonly synced: number
    readonly pending: number
    readonly failed: number
    readonly ignored: number
  }
  readonly lastSyncAt: number | null
}

/** "312 files, 1.2 GB to upload, 14 ignored": what adding a folder would do. */
export interface PairPreview {
  readonly folder: string
  readonly files: number
  readonly bytes: number
  readonly ignored: number
}
