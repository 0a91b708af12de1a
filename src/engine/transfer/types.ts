/**
 * The transfer queue's public interface: what the sync engine, the CLI and the app use.
 * Implemented in this folder; other modules depend on this file only.
 */
import type { JobSnapshot, QueueTotals } from '../../shared/job-models.ts'

/** Priorities: higher runs first. Files a user drops jump ahead of background sync. */
export const Priority = { background: 0, user: 10 } as const

/** One thing to upload. */
export interface UploadRequest {
  /**
   * Idempotency key: enqueueing a request whose key already names a job (in any state but
   * cancelled) returns that job instead of making a second one. This is what makes a crash between
   * "sync decided to upload" and "sync recorded the job" harmless.
   */
  readonly dedupeKey: string
  readonly source:
    | {
        readonly kind: 'file'
        readonly path: string
        readonly size: number
        readonly mtimeMs: number
        readonly sha256?: string
      }
    | { readonly kind: 'url'; readonly uri: string; readonly asLink: boolean }
  readonly org: string
  readonly board: string
  readonly title: string
  readonly description?: string
  readonly priority?: number
  /**
   * Upload even when the board already holds a file with this title and size. Without it, a file
   * job first looks at the board (documented fields only) and is recorded done with the asset it
   * finds, so a new home (a reinstall, a second machine) does not upload everything again.
   */
  readonly force?: boolean
  /** Set by the sync engine so results can be matched back to files. */
  readonly origin?: { readonly pairId: string; readonly relPath: string }
  /** What the upload becomes; default a new asset (transfer/job-targets.ts). */
  readonly target?: JobTarget
}

/**
 * What a finished upload becomes: a new asset, or a new version of an existing asset (an assumed
 * route, with a visible fallback to a new asset grouped with the old one).
 */
export type JobTarget =
  { readonly kind: 'new-asset' } | { readonly kind: 'version'; readonly assetToken: string }

/** One event per job transition, plus progress; the queue's only output. */
export type QueueEvent =
  | { readonly type: 'job-added'; readonly job: JobSnapshot }
  | { readonly type: 'job-changed'; readonly job: JobSnapshot }
  | { readonly type: 'job-progress'; readonly job: JobSnapshot }
  /** A file changed or vanished mid-upload: the job stopped; the caller decides when to queue it again. */
  | { readonly type: 'job-source-changed'; readonly job: JobSnapshot }
  | { readonly type: 'auth-required'; readonly reason: string }
  /** Sent at every backoff while offline; `until` is when the queue tries again. */
  | { readonly type: 'offline'; readonly reason: string; readonly until: number }
  | { readonly type: 'online' }
  /** A local problem (full disk, damaged or locked database) stopped the queue; see local-trouble.ts. */
  | { readonly type: 'halted'; readonly error: unknown }
  | { readonly type: 'totals'; readonly totals: QueueTotals }

/** A job's state kind and pause flag (its own or the whole queue's, as in a snapshot). */
export interface JobBrief {
  readonly kind: JobSnapshot['state']['kind']
  readonly paused: boolean
}

/** The persistent upload queue. */
export interface TransferQueue {
  /** Adds requests in one transaction; returns their job ids in order (existing ids for known keys). */
  enqueue(requests: readonly UploadRequest[]): readonly string[]
  job(id: string): JobSnapshot | undefined
  /** Many jobs at once (one query per thousand ids); ids the queue does not know are absent. */
  jobsById(ids: readonly string[]): ReadonlyMap<string, JobSnapshot>
  /**
   * Only the state kind and pause flag of many jobs (unknown ids are absent): the light read a
   * rescan makes for every pending file, where whole snapshots would cost a row copy each.
   */
  jobStates(ids: readonly string[]): ReadonlyMap<string, JobBrief>
  /**
   * True when the pair has a job with work left that is not paused, itself or with the whole
   * queue (no snapshots read).
   */
  hasUnpausedWork(pairId: string): boolean
  /** Jobs oldest first; with `newest` (and no `states`), only that many of the newest, newest first. */
  jobs(filter?: {
    readonly pairId?: string
    readonly states?: readonly JobSnapshot['state']['kind'][]
    readonly newest?: number
  }): readonly JobSnapshot[]
  totals(): QueueTotals
  /**
   * Listens to the queue's events; with `only`, to those types alone (events no listener wants are
   * never built: a scan adding 100,000 jobs builds no snapshots for a listener of results).
   */
  subscribe(listener: (event: QueueEvent) => void, only?: readonly QueueEvent['type'][]): () => void
  /** Starts working (idempotent). */
  start(): void
  /** Stops taking new work and waits for in-flight steps to reach a safe point; state is kept. */
  stop(): Promise<void>
  pause(jobId?: string): void
  resume(jobId?: string): void
  cancel(jobId: string): void
  /** Retries one failed job, or all failed jobs. */
  retry(jobId?: string): void
  /** Jobs sending bytes right now, per pair (null: jobs outside pairs); at most `concurrency`. */
  moving(): ReadonlyMap<string | null, number>
  /** Why the whole queue waits, if it does: offline (until when), signed out, or paused. */
  waitState(): QueueWaitState
  /** Per pair (null: jobs outside pairs), the earliest retry of a job backing off, and why. */
  retryWaits(): ReadonlyMap<string | null, { readonly until: number; readonly reason: string }>
  /** Resolves when no job is queued or in flight (failed and paused jobs do not count). */
  drained(): Promise<void>
  /**
   * Changes the limits while uploads run: the shared bandwidth cap in place (0: none) and the
   * number of large files at once (lanes resized; running uploads finish). Out of range: throws.
   */
  setLimits(limits: QueueLimits): void
}

/** Live queue limits; absent fields stay as they are. */
export interface QueueLimits {
  /** Large files uploading at once, 1 to 16. */
  readonly concurrency?: number
  /** Bytes per second for all transfers together; 0 means no cap. */
  readonly bwlimit?: number
}

/** The most files at once the queue (and the settings) accept. */
export const maxConcurrency = 16

/** What holds the whole queue back. */
export interface QueueWaitState {
  readonly offline: { readonly until: number; readonly reason: string } | null
  readonly signedOut: boolean
  readonly paused: boolean
}
