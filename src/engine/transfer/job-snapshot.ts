/**
 * The UI's view of a stored job (JobSnapshot): what the activity list, the CLI and the app show.
 */
import type { JobSnapshot, JobState } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import { activeStates } from './job-row.ts'
import type { JobRow } from './job-row.ts'

/** The UI's view of a job; live numbers (speed, ETA) come from the queue. */
export function toSnapshot(
  row: JobRow,
  live: { readonly speed: number; readonly paused: boolean } = { speed: 0, paused: false },
): JobSnapshot {
  const bytesDone = row.state === 'done' ? row.size : row.confirmedBytes
  const remaining = row.size - bytesDone
  return {
    id: row.id,
    source:
      row.kind === 'file'
        ? { kind: 'file', path: row.path ?? '', size: row.size }
        : { kind: 'url', uri: row.uri ?? '', asLink: row.asLink },
    title: row.title,
    org: row.org,
    board: row.board,
    priority: row.priority,
    paused: row.paused || live.paused,
    state: stateOf(row),
    bytesDone,
    bytesTotal: row.size,
    speed: live.speed,
    etaSeconds:
      live.speed > 0 && remaining > 0
        ? Math.ceil(remaining / live.speed)
        : remaining === 0
          ? 0
          : null,
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.pairId === null ? {} : { pairId: row.pairId }),
    ...(row.relPath === null ? {} : { relPath: row.relPath }),
    ...(row.note === null ? {} : { note: row.note }),
    ...(row.force ? { forced: true } : {}),
    ...(activeStates.includes(row.state) && row.attempts > 0 && row.notBefore > 0
      ? { retryAt: row.notBefore, ...(row.failReason ? { lastError: row.failReason } : {}) }
      : {}),
  }
}

function stateOf(row: JobRow): JobState {
  switch (row.state) {
    case 'queued':
    case 'preparing':
    case 'completing':
    case 'ingesting':
    case 'cancelled':
      return { kind: row.state }
    case 'uploading':
      return { kind: 'uploading', confirmedBytes: row.confirmedBytes }
    case 'done':
      return { kind: 'done', assetToken: row.assetToken ?? '' }
    case 'failed':
      return { kind: 'failed', reason: row.failReason ?? 'unknown error', retryable: row.retryable }
    default:
      return assertNever(row.state, 'job state')
  }
}
