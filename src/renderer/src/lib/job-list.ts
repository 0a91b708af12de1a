/**
 * The activity list's data: jobs by id plus a stable order (newest first), updated from snapshots,
 * state changes and batched progress without re-sorting 10,000 rows, and the ids a filter and
 * search show, recomputed only when a job joined or changed what it is filtered by (progress alone
 * keeps the same list). Pure, so it is unit-tested.
 */
import type { JobSnapshot } from '../../../shared/job-models.ts'
import { assertNever } from '../../../shared/assert-never.ts'
import { JobTable } from './job-table.ts'

/** What the store keeps. */
export interface JobList {
  readonly byId: JobTable
  /** Newest first. */
  readonly order: readonly string[]
  /**
   * Changes when what a filter or search shows may have changed: a job was added, or changed its
   * state kind, name or path, or finished again. Progress alone keeps it (and `order`), so views
   * derived from the list are kept as they are while 10,000 jobs report progress.
   */
  readonly shape: number
  /**
   * Only the newest jobs are here (a start-up's first screen), the rest is on its way: a job
   * older than all of them belongs to that rest, not on top of the list as a new one.
   */
  readonly partial: boolean
}

/** The filters on the activity screen. */
export type JobFilter = 'all' | 'active' | 'failed' | 'done'

/** No jobs yet. */
export const emptyJobList: JobList = { byId: JobTable.empty, order: [], shape: 0, partial: false }

/** Finished jobs that "Clear finished" hides (failed ones stay until retried). */
function isCleared(job: JobSnapshot): boolean {
  return job.state.kind === 'done' || job.state.kind === 'cancelled'
}

/** True when `next` may be shown by a different filter or search than `known` was. */
function reshapes(known: JobSnapshot, next: JobSnapshot): boolean {
  return (
    known.state.kind !== next.state.kind ||
    known.title !== next.title ||
    known.relPath !== next.relPath ||
    (isCleared(next) && known.updatedAt !== next.updatedAt)
  )
}

/** Newest first; ties by id, descending (a total order, so the list never shuffles). */
function newerFirst(a: JobSnapshot, b: JobSnapshot): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** True when `jobs` are already newest first (the engine's snapshot usually is). */
function inOrder(jobs: readonly JobSnapshot[]): boolean {
  for (let i = 1; i < jobs.length; i++) if (newerFirst(jobs[i - 1]!, jobs[i]!) > 0) return false
  return true
}

/**
 * Replaces the list with a snapshot; jobs newer in `current` (events that raced) win. `partial`
 * when the snapshot holds only the newest jobs.
 */
export function fromSnapshot(
  current: JobList,
  jobs: readonly JobSnapshot[],
  partial = false,
): JobList {
  const known = current.byId
  const merged: JobSnapshot[] =
    known.size === 0
      ? [...jobs]
      : jobs.map((job) => {
          const mine = known.get(job.id)
          return mine && mine.updatedAt > job.updatedAt ? mine : job
        })
  if (known.size > 0) {
    const inSnapshot = new Set(jobs.map((job) => job.id))
    for (const job of known.values()) if (!inSnapshot.has(job.id)) merged.push(job)
  }
  const byId = JobTable.from(merged)
  // A snapshot that repeats an id keeps its last copy, as a map would.
  const unique = byId.size === merged.length ? merged : [...byId.values()]
  const sorted = inOrder(unique) ? unique : unique.slice().sort(newerFirst)
  return { byId, order: sorted.map((job) => job.id), shape: current.shape + 1, partial }
}

/**
 * Applies changed jobs (state changes or progress); new ones go on top. Older snapshots are
 * ignored. Work per call is the changed jobs plus one copy of the table's row pointers: nothing
 * is sorted, filtered or rehashed, and `order` and `shape` stay as they were unless a job joined
 * or was reshaped. A partial list leaves out jobs older than all it holds (the full snapshot that
 * follows brings them, in their place).
 */
export function applyJobs(current: JobList, jobs: readonly JobSnapshot[]): JobList {
  const added: string[] = []
  let reshaped = false
  const oldest = current.partial ? current.byId.get(current.order.at(-1) ?? '') : undefined
  // The table hands back its own changes: a batch carrying a job twice compares the copies.
  const byId = current.byId.merge(jobs, (known, job) => {
    if (known === job || (known && known.updatedAt > job.updatedAt)) return false
    if (!known && oldest && newerFirst(oldest, job) < 0) return false
    if (!known) added.push(job.id)
    else if (!reshaped && reshapes(known, job)) reshaped = true
    return true
  })
  if (byId === current.byId) return current
  return {
    byId,
    order: added.length > 0 ? [...added.reverse(), ...current.order] : current.order,
    shape: added.length > 0 || reshaped ? current.shape + 1 : current.shape,
    partial: current.partial,
  }
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

/** What the activity list shows besides the filter: a search and the "Clear finished" time. */
export interface JobView {
  readonly filter: JobFilter
  /** Matched against name and path, ignoring case; '' shows everything. */
  readonly query: string
  /** Jobs finished (done or cancelled) at or before this time are hidden; 0 hides none. */
  readonly clearedAt: number
}

/** The ids `view` shows, in list order (filter, then cleared, then search). */
export function viewJobIds(list: JobList, view: JobView): readonly string[] {
  const base = visibleJobIds(list, view.filter)
  if (view.query === '' && view.clearedAt === 0) return base
  const q = view.query.toLowerCase()
  return base.filter((id) => {
    const job = list.byId.get(id)
    if (!job) return false
    if (isCleared(job) && job.updatedAt <= view.clearedAt) return false
    if (q === '') return true
    return job.title.toLowerCase().includes(q) || (job.relPath ?? '').toLowerCase().includes(q)
  })
}

/**
 * A memoized `viewJobIds`: the same array back while neither the list's shape and order nor the
 * view changed, so a progress event re-renders only the rows it touched, not the list around them.
 */
export function createViewSelector(): (list: JobList, view: JobView) => readonly string[] {
  let last:
    | {
        readonly order: readonly string[]
        readonly shape: number
        readonly view: JobView
        readonly ids: readonly string[]
      }
    | undefined
  return (list, view) => {
    if (
      last !== undefined &&
      last.order === list.order &&
      last.shape === list.shape &&
      last.view.filter === view.filter &&
      last.view.query === view.query &&
      last.view.clearedAt === view.clearedAt
    ) {
      return last.ids
    }
    const ids = viewJobIds(list, view)
    last = { order: list.order, shape: list.shape, view, ids }
    return ids
  }
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
