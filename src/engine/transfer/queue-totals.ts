/**
 * The queue's totals (the `totals` event and `totals()`): job counts by state from the store,
 * bytes confirmed and sent, and the speed of the uploads running now.
 */
import type { QueueTotals } from '../../shared/job-models.ts'
import type { JobRow, JobStore } from './job-store.ts'
import type { UploadStage } from './upload-stage.ts'

/** What the totals read from the upload stage: the uploads running now. */
export type RunningUploads = Pick<UploadStage, 'ids' | 'speedOf' | 'sentEntries' | 'count'>

/** Sums the store's counts and the running uploads into one view; cancelled jobs add no bytes. */
export function queueTotals(
  store: JobStore,
  uploads: RunningUploads,
  paused: boolean,
): QueueTotals {
  const counts = store.counts()
  const n = (k: JobRow['state']): number => counts.get(k)?.count ?? 0
  let bytesDone = 0
  let bytesTotal = 0
  for (const [state, c] of counts) {
    if (state === 'cancelled') continue
    bytesDone += c.confirmed
    bytesTotal += c.bytes
  }
  let speed = 0
  for (const id of uploads.ids()) speed += uploads.speedOf(id)
  // Sent but not yet confirmed by storage: what the progress bars show ahead of the marks.
  let bytesSent = bytesDone
  for (const [id, sent] of uploads.sentEntries()) {
    const row = store.get(id)
    if (row?.state === 'uploading') bytesSent += Math.max(0, sent - row.confirmedBytes)
  }
  return {
    queued: n('queued'),
    active: n('preparing') + n('uploading') + n('completing') + n('ingesting'),
    sending: uploads.count(),
    done: n('done'),
    failed: n('failed'),
    cancelled: n('cancelled'),
    bytesDone,
    bytesSent,
    bytesTotal,
    speed,
    paused,
  }
}
