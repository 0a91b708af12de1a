/**
 * Follows the jobs one CLI run cares about and turns them into the final summary: uploaded,
 * skipped (already done before this run), failed (with the path and the reason).
 */
import type { JobSnapshot } from '../../shared/job-models.ts'

/** A file or URL that did not make it, for the summary and exit code 1. */
export interface Failure {
  readonly path: string
  readonly error: string
}

/** The last line of every transfer command. */
export interface Summary {
  readonly type: 'summary'
  readonly uploaded: number
  readonly skipped: number
  readonly failed: number
  readonly failures: readonly Failure[]
  /** Jobs not finished yet (an interrupted or paused run); the next run picks them up. */
  readonly pending?: number
}

/** What a job is called in output: its file path or URL. */
export function jobLabel(job: JobSnapshot): string {
  return job.source.kind === 'file' ? job.source.path : job.source.uri
}

/** Collects jobs and failures found before enqueueing (missing files, bad URLs). */
export class RunTracker {
  private readonly jobs = new Map<string, JobSnapshot>()
  private readonly skippedIds = new Set<string>()
  private readonly early: Failure[] = []
  private skippedExtra = 0

  /** Adds a failure that never became a job (e.g. a path that does not exist). */
  fail(path: string, error: string): void {
    if (this.early.some((f) => f.path === path && f.error === error)) return
    this.early.push({ path, error })
  }

  /** Counts things skipped outside the queue (e.g. files a sync found already on the board). */
  skip(count = 1): void {
    this.skippedExtra += count
  }

  /** Starts following a job; `alreadyDone`: it was done before this run (counts as skipped). */
  track(job: JobSnapshot, alreadyDone: boolean): void {
    if (alreadyDone) this.skippedIds.add(job.id)
    this.jobs.set(job.id, job)
  }

  /** Updates a followed job (ignores jobs not followed). */
  update(job: JobSnapshot): void {
    if (this.jobs.has(job.id)) this.jobs.set(job.id, job)
  }

  /** True when the job is followed. */
  has(id: string): boolean {
    return this.jobs.has(id)
  }

  /** Every followed job's latest snapshot. */
  all(): readonly JobSnapshot[] {
    return [...this.jobs.values()]
  }

  /** True when no followed job is still queued or moving. */
  settled(): boolean {
    for (const j of this.jobs.values()) {
      const k = j.state.kind
      if (k !== 'done' && k !== 'failed' && k !== 'cancelled' && !j.paused) return false
    }
    return true
  }

  /** The summary as of now; jobs still queued or moving are `pending`, not failures. */
  summary(): Summary {
    let uploaded = 0
    let pending = 0
    const failures: Failure[] = [...this.early]
    for (const j of this.jobs.values()) {
      if (j.state.kind === 'done' && !this.skippedIds.has(j.id)) uploaded++
      else if (j.state.kind === 'failed')
        failures.push({ path: jobLabel(j), error: j.state.reason })
      else if (j.state.kind !== 'done' && j.state.kind !== 'cancelled') pending++
    }
    return {
      type: 'summary',
      uploaded,
      skipped: this.skippedIds.size + this.skippedExtra,
      failed: failures.length,
      failures,
      ...(pending > 0 ? { pending } : {}),
    }
  }
}
