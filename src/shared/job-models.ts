/**
 * Transfer jobs as every process sees them. Owned by the transfer engine (src/engine/transfer);
 * the renderer and CLI only read these snapshots.
 */

/** Where a job is in its life. Each state is persisted before the network step it guards. */
export type JobState =
  | { readonly kind: 'queued' }
  | { readonly kind: 'preparing' }
  | { readonly kind: 'uploading'; readonly confirmedBytes: number }
  | { readonly kind: 'completing' }
  | { readonly kind: 'ingesting' }
  | { readonly kind: 'done'; readonly assetToken: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryable: boolean }
  | { readonly kind: 'cancelled' }

/** What a job moves: a local file, or a URL for Playbook to ingest. */
export type JobSource =
  | { readonly kind: 'file'; readonly path: string; readonly size: number }
  | { readonly kind: 'url'; readonly uri: string; readonly asLink: boolean }

/** One job, as shown in activity lists and progress bars. */
export interface JobSnapshot {
  readonly id: string
  readonly source: JobSource
  readonly title: string
  readonly org: string
  readonly board: string
  readonly priority: number
  readonly paused: boolean
  readonly state: JobState
  /** Bytes the server confirmed it stored (0 for URL jobs). */
  readonly bytesDone: number
  /**
   * Bytes handed to the network so far (≥ bytesDone, ≤ bytesTotal): moves while a request is on
   * the wire, before storage confirms anything. Absent for jobs not sending.
   */
  readonly sentBytes?: number
  readonly bytesTotal: number
  /** Recent throughput in bytes per second, 0 when idle. */
  readonly speed: number
  /** Seconds left at the current speed, or null when unknown. */
  readonly etaSeconds: number | null
  readonly attempts: number
  readonly createdAt: number
  readonly updatedAt: number
  readonly pairId?: string
  readonly relPath?: string
  /**
   * What the job is waiting for or what happened, in plain words, when its state alone does not
   * say it (e.g. "Playbook's answer was lost: checking the board before completing again", or
   * "Already on the board").
   */
  readonly note?: string
  /** Set while the job backs off after a transient failure: when it tries again (epoch ms). */
  readonly retryAt?: number
  /** The error that made it back off (technical; shown under "Details"). */
  readonly lastError?: string
  /**
   * For a job that adds a version to an existing asset: the version it made ("v4") once done;
   * `versionOf` is that asset's token (also while the version is on its way).
   */
  readonly version?: number
  readonly versionOf?: string
  /** Uploaded even though the board holds it or a rule skips it (`--force`, "Upload anyway"). */
  readonly forced?: boolean
}

/** Queue-wide numbers for totals, tray tooltips and the CLI summary. */
export interface QueueTotals {
  readonly queued: number
  /** Jobs past queued and not finished (preparing, uploading, finishing), moving or not. */
  readonly active: number
  /** Jobs sending bytes right now (at most the concurrency): the honest "uploading" count. */
  readonly sending?: number
  readonly done: number
  readonly failed: number
  readonly cancelled: number
  readonly bytesDone: number
  /** bytesDone plus what sending jobs handed to the network beyond what storage confirmed. */
  readonly bytesSent?: number
  readonly bytesTotal: number
  readonly speed: number
  readonly paused: boolean
}
