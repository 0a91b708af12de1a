/**
 * The second line of an activity row, in words: how far and how fast a running upload is, what a
 * finished one is, why a failed one failed and what happens next, and what the engine says a job
 * is waiting for ("Playbook's answer was lost: checking the board…", "Already on the board").
 * Pure, so it is unit-tested.
 */
import type { JobSnapshot } from '../../../shared/job-models.ts'
import { describeFailure } from '../../../shared/plain-words.ts'
import { formatBytes, formatEta, formatSpeed } from './format.ts'

/** The row's detail text. */
export function jobDetail(job: JobSnapshot): string {
  const state = job.state
  const note = job.note === undefined || job.note === '' ? [] : [job.note]
  if (state.kind === 'failed') {
    const words = describeFailure(state.reason)
    return `${words.headline} ${words.next}`
  }
  if (state.kind === 'cancelled') return 'You cancelled this upload.'
  if (job.source.kind === 'url') return [job.source.uri, ...note].join(' · ')
  if (state.kind === 'done') return [formatBytes(job.bytesTotal), ...note].join(' · ')
  const parts = [`${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)}`]
  if (!job.paused) parts.push(formatSpeed(job.speed), formatEta(job.etaSeconds))
  return [...parts, ...note].filter(Boolean).join(' · ')
}
