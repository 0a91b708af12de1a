/**
 * What the queue's step modules (batcher, file transfer, URL ingest) share, and the outcomes they
 * report back so the scheduler alone decides about pausing (auth) and backing off (offline).
 */
import type { Logger } from '../engine-types.ts'
import { isAbortError, isPlaybookError } from '../playbook/errors.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import type { AssetRecord } from '../playbook/schemas.ts'
import type { RouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import type { Http } from '../playbook/http.ts'
import { backoffDelayMs } from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'
import type { JobRow, JobStore } from './job-store.ts'
import type { Throttle } from './throttle.ts'

/** Shared dependencies and event hooks. */
export interface QueueContext {
  readonly store: JobStore
  readonly client: PlaybookClient
  readonly http: Http
  readonly log: Logger
  readonly now: () => number
  readonly chunkSize: number
  /** GCS sending: the rest of a file in one streamed PUT (default), or chunk by chunk. */
  readonly uploadMode?: 'stream' | 'chunked'
  readonly throttle: Throttle | undefined
  readonly sleep: Sleep
  readonly random: () => number
  /** Attempts before a job fails for good (retryable, so the user can retry it). */
  readonly maxAttempts: number
  /**
   * How long after sending a completion whose answer was lost the queue keeps listing the board
   * (the server may still be finishing) before it completes the still-unmatched jobs again.
   */
  readonly completionGraceMs: number
  /** Board listings reused for a short while by the already-on-the-board check. */
  readonly boardListings: Map<
    string,
    { readonly at: number; readonly assets: readonly AssetRecord[] }
  >
  /** The engine's memory of assumed routes this Playbook lacks, and whom to tell. */
  readonly routes: RouteMissingMemory
  /** A job's state changed. */
  readonly changed: (row: JobRow) => void
  /** A job confirmed more bytes. */
  readonly progress: (row: JobRow) => void
  /** A job handed more bytes to the network (`bytes`: the offset reached; not yet confirmed). */
  readonly sent?: (row: JobRow, bytes: number) => void
  /** A file changed or vanished mid-upload. */
  readonly sourceChanged: (row: JobRow) => void
}

/** What a step tells the scheduler beyond the job states it wrote. */
export type StepOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'auth'; readonly reason: string }
  | { readonly kind: 'offline'; readonly reason: string }

/** The success outcome. */
export const ok: StepOutcome = { kind: 'ok' }

/** How a step should react to an error. */
export type ErrorClass = 'abort' | 'auth' | 'offline' | 'transient' | 'fatal'

/** Sorts an error into what the queue does about it. */
export function classify(e: unknown): ErrorClass {
  if (isAbortError(e)) return 'abort'
  if (!isPlaybookError(e)) return 'fatal'
  switch (e.kind) {
    case 'auth':
      return 'auth'
    case 'network':
      return e.status === 408 ? 'transient' : 'offline'
    case 'quota':
      return 'transient'
    case 'server':
      return e.status >= 500 ? 'transient' : 'fatal'
    case 'forbidden':
    case 'validation':
    case 'not-found':
      return 'fatal'
    default:
      return 'fatal'
  }
}

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** When a job that failed transiently `attempts` times may run again. */
export function notBeforeAfter(ctx: QueueContext, attempts: number): number {
  return (
    ctx.now() +
    1000 +
    backoffDelayMs(
      attempts,
      { maxAttempts: 0, baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 0 },
      ctx.random,
    )
  )
}

/**
 * Counts one more transient failure: the job stays where it is with a backoff, or fails
 * (retryable) once it has used its attempts.
 */
export function transientFailure(
  ctx: QueueContext,
  row: JobRow,
  reason: string,
  requeueTo?: 'queued',
): void {
  const current = ctx.store.get(row.id)
  if (current === undefined || current.state !== row.state) return
  const attempts = current.attempts + 1
  if (attempts >= ctx.maxAttempts) {
    ctx.changed(
      ctx.store.transition(row.id, 'failed', { attempts, failReason: reason, retryable: true }),
    )
    return
  }
  const patch = { attempts, notBefore: notBeforeAfter(ctx, attempts), failReason: reason }
  ctx.changed(
    requeueTo === undefined
      ? ctx.store.patch(row.id, patch)
      : ctx.store.transition(row.id, requeueTo, patch),
  )
}

/** Writes a transition only if the job is still in `from` (it may have been cancelled meanwhile). */
export function moveIf(
  ctx: QueueContext,
  id: string,
  from: JobRow['state'],
  to: JobRow['state'],
  patch: Parameters<JobStore['transition']>[2] = {},
): JobRow | undefined {
  const row = ctx.store.get(id)
  if (row === undefined || row.state !== from) return undefined
  const next = ctx.store.transition(id, to, patch)
  ctx.changed(next)
  return next
}
