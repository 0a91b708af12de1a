/**
 * The one place a pair's counts are worked out: the index's file states, the files still settling
 * in memory and the queue's live jobs become a `FileTally`, whether the folder is up to date, and
 * why it waits. Every front end reads the result (through the pair snapshot), never its own sums.
 */
import type { WaitCause } from '../../shared/plain-words.ts'
import type { FileTally } from '../../shared/sync-status-models.ts'
import type { QueueWaitState } from '../transfer/types.ts'
import type { FileCounts } from '../sync/sync-store.ts'

/** What a pair's tally is made from. */
export interface TallyInput {
  readonly counts: FileCounts
  /** Files in memory the index does not count yet (settling or batched). */
  readonly inMemory: number
  /** Files ignored by the pair's rules at the last scan. */
  readonly ignored: number
  /** The pair's jobs transferring right now (preparing, uploading, completing). */
  readonly uploadingJobs: number
}

/** The pair's files by where they stand. */
export function tallyOf(input: TallyInput): FileTally {
  const { counts } = input
  const waitingTotal = counts.pending + input.inMemory
  const uploading = Math.min(input.uploadingJobs, waitingTotal)
  return {
    onBoard: counts.synced - counts.sameContent,
    sameContent: counts.sameContent,
    uploading,
    waiting: waitingTotal - uploading,
    skipped: counts.skipped + input.ignored,
    attention: counts.failed + counts.unreadable + counts.cancelled,
  }
}

/** Up to date only when every file is on the board or skipped on purpose. */
export function isUpToDate(tally: FileTally): boolean {
  return tally.uploading === 0 && tally.waiting === 0 && tally.attention === 0
}

/** Why a pair with work left is not moving, if something holds it back. */
export function waitCauseOf(input: {
  readonly pairPaused: boolean
  readonly hasWork: boolean
  readonly queue: QueueWaitState
  readonly retry: { readonly until: number; readonly reason: string } | undefined
  readonly uploadingJobs: number
}): WaitCause | undefined {
  if (input.pairPaused) return { kind: 'paused' }
  if (!input.hasWork) return undefined
  if (input.queue.signedOut) return { kind: 'signed-out' }
  if (input.queue.paused) return { kind: 'paused' }
  if (input.queue.offline)
    return { kind: 'offline', until: input.queue.offline.until, detail: input.queue.offline.reason }
  if (input.retry && input.uploadingJobs === 0)
    return { kind: 'busy', until: input.retry.until, detail: input.retry.reason }
  return undefined
}
