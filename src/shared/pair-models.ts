/**
 * Folder pairs (a local folder synced to a board) as every process sees them. Owned by the sync
 * engine (src/engine/sync); the renderer and CLI only read these snapshots.
 */

import type { WaitCause } from './plain-words.ts'
import type { FileTally } from './sync-status-models.ts'

/** What a pair is doing now. */
export type PairStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'scanning' }
  | { readonly kind: 'syncing' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'error'; readonly reason: string; readonly hint?: string }

/**
 * What to do when a synced file's bytes change: `version` adds a version to its asset (history
 * kept on Playbook; the default), `new-asset` uploads it as an asset of its own, `skip` leaves
 * the board as it is.
 */
export type ChangePolicy = 'version' | 'new-asset' | 'skip'

/**
 * Every change policy with the words the settings show for it. Keyed by the union, so a new
 * policy cannot be added without words; the settings list exactly these (in this order).
 */
export const changePolicyWords: Readonly<
  Record<ChangePolicy, { readonly label: string; readonly hint: string }>
> = {
  version: {
    label: 'Add a new version of the same asset',
    hint: 'The asset keeps its history on Playbook; the activity row says which version (v2, v3…).',
  },
  'new-asset': {
    label: 'Upload it as a new asset',
    hint: 'The board keeps the old one and gets the saved file next to it.',
  },
  skip: {
    label: 'Leave the board as it is',
    hint: 'Changed files are skipped (listed with the reason).',
  },
}

/** The change policies, in the order the settings list them. */
export const changePolicies = Object.keys(changePolicyWords) as [ChangePolicy, ...ChangePolicy[]]

/** A pair's settings, chosen when it is created and editable later. */
export interface PairSettings {
  readonly onChange: ChangePolicy
  /**
   * The same bytes twice in one pair become one asset (each copy then says "same content as" the
   * first). Off (the default): a copy under another name is an asset of its own.
   */
  readonly dedupeContent: boolean
  /** Put the file's path relative to the folder in the asset description. */
  readonly describeWithPath: boolean
  readonly ignorePatterns: readonly string[]
  readonly includeHidden: boolean
  /** Poll instead of native events (network drives). */
  readonly usePolling: boolean
  /** How long size and mtime must stay still before a file counts as saved. */
  readonly settleMs: number
  /**
   * Upload files even when the board already holds one with the same name and size. Off: such
   * files are recorded as synced with the asset already there (a new install, a second machine).
   */
  readonly uploadExisting: boolean
}

/** Settings a new pair gets unless the caller chooses otherwise; the UI shows these as defaults. */
export const defaultPairSettings: PairSettings = {
  onChange: 'version',
  dedupeContent: false,
  describeWithPath: true,
  ignorePatterns: [],
  includeHidden: false,
  usePolling: false,
  settleMs: 2000,
  uploadExisting: false,
}

/**
 * How a pair notices changes: native events, polling, or (after the watcher hit a system limit)
 * periodic rescans; `hint` tells the user how to fix a limit.
 */
export interface PairWatchState {
  readonly mode: 'native' | 'polling' | 'rescan' | 'off'
  readonly reason?: string
  readonly hint?: string
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
  /** Every file by where it stands: the one source for the folder's counts. */
  readonly tally: FileTally
  /** Every file is on the board or skipped on purpose (nothing waits, nothing needs attention). */
  readonly upToDate: boolean
  /** Why the folder's uploads are not moving, while that holds (with when they try again). */
  readonly wait?: WaitCause
  readonly lastSyncAt: number | null
  /** Absent when the engine is not watching (for example a one-off `sync --once`). */
  readonly watch?: PairWatchState
}

/** "312 files, 1.2 GB to upload, 14 ignored": what adding a folder would do. */
export interface PairPreview {
  readonly folder: string
  readonly files: number
  readonly bytes: number
  readonly ignored: number
  /**
   * Files the target board already holds (same name and size): recorded as synced, not uploaded.
   * Present when the preview was asked for a board.
   */
  readonly alreadyOnBoard?: number
}

/**
 * Where one file of a pair stands. `pending`: queued or uploading; `synced`: on the board;
 * `failed`: the upload failed (retry from the queue); `skipped`: changed but the pair skips
 * changes; `unreadable`: could not be read; `cancelled`: its upload was cancelled; `settling`: still being written; `deleted`: gone locally
 * (never deleted on Playbook).
 */
export type FileSyncState =
  'settling' | 'pending' | 'synced' | 'failed' | 'skipped' | 'unreadable' | 'cancelled' | 'deleted'

/** One file of a pair, for per-file views and `status --files`. */
export interface PairFileState {
  readonly relPath: string
  readonly state: FileSyncState
  readonly size: number
  readonly sha256: string | null
  readonly assetToken: string | null
  readonly jobId: string | null
  readonly reason: string | null
  readonly updatedAt: number
}
