/**
 * Enqueues a changed file as the next version of its asset. The queue key names the asset, the
 * bytes and a round (change-policy.ts `versionKeyFor`): a round whose job landed before the
 * file's current job is an earlier save with the same bytes (A → B → A → B), so the next round
 * is tried; the first other answer is this decision's job. The walk is the same after a crash,
 * so a replay finds the job it made before instead of adding a second version.
 */
import type { UploadRequest } from '../transfer/types.ts'
import type { TransferQueue } from '../transfer/types.ts'
import { versionKeyFor } from './change-policy.ts'

/** Rounds tried before giving up (each is a save that cycled back to bytes seen before). */
const MAX_ROUNDS = 1000

/** The version target of a planned request. */
export interface VersionPlan {
  readonly assetToken: string
  /** The file's job when it was decided (the last one that landed, or a version that failed). */
  readonly rowJobId: string | null
}

/** Enqueues `request` (a version request, round 0) at its first free round; returns the job id. */
export function enqueueVersion(
  queue: TransferQueue,
  pairId: string,
  request: UploadRequest,
  plan: VersionPlan,
): string | undefined {
  const source = request.source
  const sha256 = source.kind === 'file' ? (source.sha256 ?? '') : ''
  const rowJob = plan.rowJobId === null ? undefined : queue.job(plan.rowJobId)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const dedupeKey = versionKeyFor(pairId, plan.assetToken, sha256, round)
    const id = queue.enqueue([{ ...request, dedupeKey }])[0]
    if (id === undefined) return undefined
    const job = queue.job(id)
    const earlier =
      job !== undefined &&
      job.state.kind === 'done' &&
      job.id !== rowJob?.id &&
      rowJob !== undefined &&
      job.createdAt <= rowJob.createdAt
    if (!earlier) return id
  }
  throw new Error('too many saves with the same bytes: cannot add another version')
}
