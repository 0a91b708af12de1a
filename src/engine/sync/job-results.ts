/**
 * What a transfer job's state means for its files in the index, and which job states are final
 * until the user acts.
 */
import type { JobSnapshot } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import type { JobBrief } from '../transfer/types.ts'
import type { StoredFileState } from './sync-store.ts'

/** The file state a job's state means. */
export function fileResultOf(job: JobSnapshot): {
  state: StoredFileState
  assetToken: string | null
  reason: string | null
} {
  const state = job.state
  switch (state.kind) {
    case 'done':
      return { state: 'synced', assetToken: state.assetToken, reason: null }
    case 'failed':
      return { state: 'failed', assetToken: null, reason: state.reason }
    case 'cancelled':
      return { state: 'cancelled', assetToken: null, reason: 'Upload cancelled' }
    case 'queued':
    case 'preparing':
    case 'uploading':
    case 'completing':
    case 'ingesting':
      return { state: 'pending', assetToken: null, reason: null }
    default:
      return assertNever(state, 'job state')
  }
}

/** True for job states that will not change without a user action. */
export function isSettledJob(job: JobSnapshot): boolean {
  return isSettledKind(job.state.kind)
}

/** True for the state kinds `isSettledJob` means (done, failed, cancelled). */
export function isSettledKind(kind: JobBrief['kind']): boolean {
  return kind === 'done' || kind === 'failed' || kind === 'cancelled'
}
