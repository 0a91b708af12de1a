/**
 * Progress before storage confirms: a streamed upload hands bytes to the network long before the
 * one answer that confirms them, so a job's snapshot carries `sentBytes` next to the confirmed
 * `bytesDone`, and its ETA counts from what was sent. Kept in memory only (never persisted).
 */
import type { JobSnapshot } from '../../shared/job-models.ts'

/** The snapshot with `sentBytes` (while uploading) and an ETA from the bytes still to send. */
export function withSentBytes(snapshot: JobSnapshot, sent: number | undefined): JobSnapshot {
  if (snapshot.state.kind !== 'uploading' || sent === undefined) return snapshot
  const sentBytes = Math.min(snapshot.bytesTotal, Math.max(snapshot.bytesDone, sent))
  const left = snapshot.bytesTotal - sentBytes
  return {
    ...snapshot,
    sentBytes,
    etaSeconds: snapshot.speed > 0 ? Math.ceil(left / snapshot.speed) : snapshot.etaSeconds,
  }
}

/**
 * Passes on a sending job's offsets at most every `intervalMs` (and always the first and the
 * last), so a fast stream does not flood the event bus.
 */
export function sentReporter(
  report: (bytes: number) => void,
  total: number,
  intervalMs = 100,
  now: () => number = () => performance.now(),
): (bytes: number) => void {
  let last = Number.NEGATIVE_INFINITY
  return (bytes) => {
    const t = now()
    if (bytes < total && t - last < intervalMs) return
    last = t
    report(bytes)
  }
}
