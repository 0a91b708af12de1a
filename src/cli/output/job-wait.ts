/**
 * What a job that has not finished waits for, in the engine's words: its `note` ("Playbook's
 * answer was lost: checking the board before completing again") or, while it backs off, why and
 * when it tries again. The terminal output and `status` print it; `--json` carries the job's
 * `note` and `retryAt` as they are.
 */
import type { JobSnapshot } from '../../shared/job-models.ts'
import { describeFailure, retryingIn } from '../../shared/plain-words.ts'

/** True for jobs that are over (their line says how they ended). */
function isOver(job: JobSnapshot): boolean {
  const kind = job.state.kind
  return kind === 'done' || kind === 'failed' || kind === 'cancelled'
}

/** The wait in words, or undefined when the job is over or nothing holds it. */
export function jobWaitWords(job: JobSnapshot, now: number): string | undefined {
  if (isOver(job)) return undefined
  const note = job.note === undefined || job.note === '' ? undefined : job.note
  const retry =
    job.retryAt === undefined
      ? undefined
      : `${job.lastError ? `${describeFailure(job.lastError).headline} ` : ''}${retryingIn(job.retryAt, now)}`
  const words = [note, retry].filter((part): part is string => part !== undefined)
  return words.length === 0 ? undefined : words.join(' ')
}

/** A key that changes when what the job waits for changes (not as its countdown runs). */
export function jobWaitKey(job: JobSnapshot): string {
  return isOver(job) ? '' : `${job.note ?? ''}\n${job.retryAt ?? ''}`
}
