/**
 * What a start does with jobs an earlier run left mid-step, before any stage runs. Only steps
 * that created nothing go back to queued; the others (uploading, completing, ingesting with an
 * asset) resume where they stand, each stage looking up what happened first.
 */
import type { JobRow, JobStore } from './job-store.ts'

/** Moves interrupted prepares and unanswered URL creates back to queued; returns the changed rows. */
export function recoverInterrupted(store: JobStore): readonly JobRow[] {
  return store.atomically(() => [
    // A prepare whose answer was lost created nothing: prepare again.
    ...store.inStates(['preparing']).map((r) => store.transition(r.id, 'queued')),
    // A URL create whose answer was lost: back to queued; request_sent makes it look first.
    ...store
      .inStates(['ingesting'])
      .filter((r) => r.assetToken === null)
      .map((r) => store.transition(r.id, 'queued')),
  ])
}
