import { describe, expect, it } from 'vitest'
import type { JobSnapshot, JobState } from '../../src/shared/job-models.ts'
import {
  applyJobs,
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
})
