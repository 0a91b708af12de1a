import { describe, expect, it } from 'vitest'
import type { JobSnapshot, JobState } from '../../src/shared/job-models.ts'
import {
  applyJobs,
  createViewSelector,
  emptyJobList,
  fromSnapshot,
  recentDone,
  stateLabel,
  visibleJobIds,
} from '../../src/renderer/src/lib/job-list.ts'

const job = (
  id: string,
  createdAt: number,
  state: JobState,
  updatedAt = createdAt,
): JobSnapshot => ({
  id,
  source: { kind: 'file', path: `/tmp/${id}.png`, size: 100 },
  title: `${id}.png`,
  org: 'studio',
  board: 'b1',
  priority: 0,
  paused: false,
  state,
  bytesDone: 0,
  bytesTotal: 100,
  speed: 0,
  etaSeconds: null,
  attempts: 0,
  createdAt,
  updatedAt,
})

describe('job list', () => {
  it('orders a snapshot newest first and puts new jobs on top without reordering the rest', () => {
    const list = fromSnapshot(emptyJobList, [
      job('a', 1, { kind: 'done', assetToken: 't' }),
      job('b', 3, { kind: 'queued' }),
      job('c', 2, { kind: 'failed', reason: 'boom', retryable: true }),
    ])
    expect(list.order).toEqual(['b', 'c', 'a'])
    const next = applyJobs(list, [
      job('d', 4, { kind: 'queued' }),
      job('a', 1, { kind: 'done', assetToken: 't' }, 9),
    ])
    expect(next.order).toEqual(['d', 'b', 'c', 'a'])
    expect(next.byId.get('a')?.updatedAt).toBe(9)
  })

  it('ignores progress older than what it already shows (events and snapshots race)', () => {
    const list = applyJobs(emptyJobList, [job('a', 1, { kind: 'done', assetToken: 't' }, 10)])
    const stale = applyJobs(list, [job('a', 1, { kind: 'uploading', confirmedBytes: 5 }, 5)])
    expect(stale.byId.get('a')?.state.kind).toBe('done')
    const snap = fromSnapshot(list, [job('a', 1, { kind: 'uploading', confirmedBytes: 5 }, 5)])
    expect(snap.byId.get('a')?.state.kind).toBe('done')
  })

  it('filters by state and finds the latest finished uploads', () => {
    const list = fromSnapshot(emptyJobList, [
      job('a', 1, { kind: 'done', assetToken: 't' }, 5),
      job('b', 2, { kind: 'uploading', confirmedBytes: 1 }),
      job('c', 3, { kind: 'failed', reason: 'x', retryable: false }),
      job('d', 4, { kind: 'done', assetToken: 'u' }, 8),
    ])
    expect(visibleJobIds(list, 'failed')).toEqual(['c'])
    expect(visibleJobIds(list, 'active')).toEqual(['b'])
    expect(visibleJobIds(list, 'done')).toEqual(['d', 'a'])
    expect(visibleJobIds(list, 'all')).toBe(list.order)
    expect(recentDone(list, 1).map((j) => j.id)).toEqual(['d'])
  })

  it('labels states, with paused winning over waiting but not over finished', () => {
    expect(stateLabel(job('a', 1, { kind: 'queued' }))).toBe('Waiting')
    expect(stateLabel({ ...job('a', 1, { kind: 'queued' }), paused: true })).toBe('Paused')
    expect(stateLabel({ ...job('a', 1, { kind: 'done', assetToken: 't' }), paused: true })).toBe(
      'Done',
    )
    expect(stateLabel(job('a', 1, { kind: 'ingesting' }))).toBe('Importing')
  })

  it('applies 10,000 progress updates in one batch', () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) => job(`j${i}`, i, { kind: 'queued' }))
    const list = fromSnapshot(emptyJobList, jobs)
    const moved = applyJobs(
      list,
      jobs.map((j) => ({
        ...j,
        state: { kind: 'uploading', confirmedBytes: 50 } as const,
        updatedAt: j.updatedAt + 1,
      })),
    )
    expect(moved.order).toBe(list.order)
    expect([...moved.byId.values()].every((j) => j.state.kind === 'uploading')).toBe(true)
  })

  it('updates only the row whose job changed, keeping every other job as it was', () => {
    const jobs = Array.from({ length: 10_000 }, (_, i) =>
      job(`j${i}`, i, { kind: 'uploading', confirmedBytes: 10 }),
    )
    const list = fromSnapshot(emptyJobList, jobs)
    const progressed = { ...jobs[42]!, bytesDone: 60, updatedAt: 100_000 }
    const next = applyJobs(list, [progressed])
    expect(next.byId.get('j42')).toBe(progressed)
    expect(next.byId.get('j41')).toBe(list.byId.get('j41'))
    expect(next.byId.get('j43')).toBe(list.byId.get('j43'))
    expect(next.byId.size).toBe(10_000)
    expect(list.byId.get('j42')?.bytesDone).toBe(0)
    // Nothing new to apply (stale or the same object): the very same list back.
    expect(applyJobs(next, [progressed])).toBe(next)
    expect(applyJobs(next, [{ ...progressed, updatedAt: 1 }])).toBe(next)
  })

  it('keeps the shown ids while only progress changes, and recomputes them when a job moves between filters', () => {
    const jobs = Array.from({ length: 1_000 }, (_, i) =>
      job(`j${i}`, i, { kind: 'uploading', confirmedBytes: 10 }),
    )
    const select = createViewSelector()
    const view = { filter: 'active', query: '', clearedAt: 0 } as const
    const list = fromSnapshot(emptyJobList, jobs)
    const shown = select(list, view)
    expect(shown).toHaveLength(1_000)
    const progressed = applyJobs(
      list,
      jobs.map((j) => ({ ...j, bytesDone: 50, updatedAt: j.updatedAt + 1 })),
    )
    expect(progressed.shape).toBe(list.shape)
    expect(select(progressed, view)).toBe(shown)
    // j7 finishes: it leaves "In progress" and joins "Done".
    const done = applyJobs(progressed, [
      { ...jobs[7]!, state: { kind: 'done', assetToken: 't' }, updatedAt: 5_000 },
    ])
    expect(done.shape).not.toBe(progressed.shape)
    const after = select(done, view)
    expect(after).toHaveLength(999)
    expect(after).not.toContain('j7')
    expect(select(done, { ...view, filter: 'done' })).toEqual(['j7'])
    // A new job goes on top of what is shown.
    const added = applyJobs(done, [job('new', 9_999, { kind: 'queued' })])
    expect(select(added, { ...view, filter: 'all' })[0]).toBe('new')
  })

  it('searches by name or path and hides what "Clear finished" cleared, until it finishes again', () => {
    const list = fromSnapshot(emptyJobList, [
      { ...job('a', 1, { kind: 'done', assetToken: 't' }, 10), relPath: 'shoot/Beach.png' },
      job('b', 2, { kind: 'uploading', confirmedBytes: 1 }, 10),
      job('c', 3, { kind: 'failed', reason: 'x', retryable: true }, 10),
    ])
    const select = createViewSelector()
    const all = { filter: 'all', query: '', clearedAt: 0 } as const
    expect(select(list, { ...all, query: 'BEACH' })).toEqual(['a'])
    expect(select(list, { ...all, query: 'b.png' })).toEqual(['b'])
    // Cleared at 20: the done job goes, the running and the failed one stay.
    expect(select(list, { ...all, clearedAt: 20 })).toEqual(['c', 'b'])
    const again = applyJobs(list, [job('a', 1, { kind: 'done', assetToken: 't' }, 30)])
    expect(select(again, { ...all, clearedAt: 20 })).toEqual(['c', 'b', 'a'])
  })
})

describe('job list from snapshots and batches', () => {
  it('sorts a snapshot that is out of order and keeps one that is in order as given', () => {
    const shuffled = fromSnapshot(emptyJobList, [
      job('b', 2, { kind: 'queued' }),
      job('c', 3, { kind: 'queued' }),
      job('a', 2, { kind: 'queued' }),
      job('d', 1, { kind: 'queued' }),
    ])
    // Same time: higher id first, as before.
    expect(shuffled.order).toEqual(['c', 'b', 'a', 'd'])
    const sorted = fromSnapshot(emptyJobList, [
      job('z', 9, { kind: 'queued' }),
      job('y', 8, { kind: 'queued' }),
    ])
    expect(sorted.order).toEqual(['z', 'y'])
  })

  it('keeps jobs only the current list knows and a snapshot that repeats an id once', () => {
    const current = applyJobs(emptyJobList, [job('late', 50, { kind: 'queued' })])
    const list = fromSnapshot(current, [
      job('a', 1, { kind: 'queued' }),
      job('a', 1, { kind: 'uploading', confirmedBytes: 1 }, 2),
    ])
    expect(list.order).toEqual(['late', 'a'])
    expect(list.byId.size).toBe(2)
    expect(list.byId.get('a')?.state.kind).toBe('uploading')
  })

  it('leaves jobs older than a first page to the full snapshot, which puts them in their place', () => {
    // The first screen's page: the two newest of four jobs.
    const page = fromSnapshot(
      emptyJobList,
      [job('d', 4, { kind: 'queued' }), job('c', 3, { kind: 'queued' })],
      true,
    )
    expect(page.partial).toBe(true)
    // While the rest is on its way: a new job goes on top, a page job changes, and an older job's
    // change is left out (on top it would be out of place; the full snapshot brings it).
    const meanwhile = applyJobs(page, [
      job('e', 5, { kind: 'queued' }),
      job('c', 3, { kind: 'uploading', confirmedBytes: 1 }, 6),
      job('a', 1, { kind: 'uploading', confirmedBytes: 1 }, 6),
    ])
    expect(meanwhile.order).toEqual(['e', 'd', 'c'])
    expect(meanwhile.byId.get('a')).toBeUndefined()
    expect(meanwhile.partial).toBe(true)
    // The full snapshot (taken after those changes, oldest first as the engine sends it).
    const full = fromSnapshot(meanwhile, [
      job('a', 1, { kind: 'uploading', confirmedBytes: 1 }, 6),
      job('b', 2, { kind: 'queued' }),
      job('c', 3, { kind: 'uploading', confirmedBytes: 1 }, 6),
      job('d', 4, { kind: 'queued' }),
      job('e', 5, { kind: 'queued' }),
    ])
    expect(full.partial).toBe(false)
    expect(full.order).toEqual(['e', 'd', 'c', 'b', 'a'])
    // Complete now: any unknown job is added.
    expect(applyJobs(full, [job('z', 0, { kind: 'queued' })]).order).toContain('z')
  })

  it('applies a batch carrying the same job twice by time, and adds a new job once', () => {
    const list = fromSnapshot(emptyJobList, [job('a', 1, { kind: 'queued' })])
    const next = applyJobs(list, [
      job('a', 1, { kind: 'uploading', confirmedBytes: 1 }, 5),
      job('a', 1, { kind: 'queued' }, 3),
      job('n', 2, { kind: 'queued' }),
      job('n', 2, { kind: 'preparing' }, 4),
    ])
    expect(next.byId.get('a')?.updatedAt).toBe(5)
    expect(next.byId.get('n')?.state.kind).toBe('preparing')
    expect(next.order).toEqual(['n', 'a'])
    expect(list.byId.get('a')?.state.kind).toBe('queued')
    expect(list.byId.has('n')).toBe(false)
  })
})
