/**
 * The activity list's data: jobs by id plus a stable order (newest first), updated from snapshots,
 * state changes and batched progress without re-sorting 10,000 rows. Pure, so it is unit-tested.
 */
import type { JobSnapshot } from '../../../shared/job-models.ts'
import { assertNever } from '../../../shared/assert-never.ts'

/** What the store keeps. */
export interface JobList {
  readonly byId: ReadonlyMap<string, JobSnapshot>
  /** Newest first. */
  readonly order: readonly string[]
}

/** The filters on the activity screen. */
export type JobFilter = 'all' | 'active' | 'failed' | 'done'

/** No jobs yet. */
export const emptyJobList: JobList = { byId: new Map(), order: [] }

/** Replaces the list with a full snapshot; jobs newer in `current` (events that raced) win. */
export function fromSnapshot(current: JobList, jobs: readonly JobSnapshot[]): JobList {
  const byId = new Map<string, JobSnapshot>()
  for (const job of jobs) {
    const known = current.byId.get(job.id)
    byId.set(job.id, known && known.updatedAt > job.updatedAt ? known : job)
  }
  for (const [id, job] of current.byId) if (!byId.has(id)) byId.set(id, job)
  const order = [...byId.values()]
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
    .map((job) => job.id)
  return { byId, order }
}

/** Applies changed jobs (state changes or progress); new ones go on top. Older snapshots are ignored. */
export function applyJobs(current: JobList, jobs: readonly JobSnapshot[]): JobList {
  if (jobs.length === 0) return current
  const byId = new Map(current.byId)
  const added: string[] = []
  for (const job of jobs) {
    const known = byId.get(job.id)
    if (known && known.updatedAt > job.updatedAt) continue
    if (!known) added.push(job.id)
    byId.set(job.id, job)
  }
  return { byId, order: added.length > 0 ? [...added.reverse(), ...current.order] : current.order }
}

/** True when `job` belongs under `filter`. */
export function matchesFilter(job: JobSnapshot, filter: JobFilter): boolean {
  switch (filter) {
    case 'all':
      return true
    case 'failed':
      return job.state.kind === 'failed'
    case 'done':
      return job.state.kind === 'done'
    case 'active':
      return !['done', 'failed', 'cancelled'].includes(job.state.kind)
    default:
      return assertNever(filter, 'filter')
  }
}

/** The ids to show for `filter`, in list order. */
export function visibleJobIds(list: JobList, filter: JobFilter): readonly string[] {
  if (filter === 'all') return list.order
  return list.order.filter((id) => {
    const job = list.byId.get(id)
    return job !== undefined && matchesFilter(job, filter)
  })
}

/** The most recent finished uploads (for "last uploads" lists). */
export function recentDone(list: JobList, count: number): readonly JobSnapshot[] {
  return [...list.byId.values()]
    .filter((job) => job.state.kind === 'done')
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, count)
}

/** A label for a job's state, as the row shows it. */
export function stateLabel(job: JobSnapshot): string {
  if (job.paused && !['done', 'failed', 'cancelled'].includes(job.state.kind)) return 'Paused'
  const state = job.state
  switch (state.kind) {
    case 'queued':
      return 'Waiting'
    case 'preparing':
      return 'Preparing'
    case 'uploading':
      return 'Uploading'
    case 'completing':
      return 'Finishing'
    case 'ingesting':
      return 'Importing'
    case 'done':
      return 'Done'
    case 'failed':
      return 'Failed'
    case 'cancelled':
      return 'Cancelled'
    default:
      return assertNever(state, 'job state')
  }
}
