import { describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../src/shared/job-models.ts'
import { JobTable } from '../../src/renderer/src/lib/job-table.ts'

const job = (id: string, bytesDone = 0): JobSnapshot => ({
  id,
  source: { kind: 'file', path: `/tmp/${id}.png`, size: 100 },
  title: `${id}.png`,
  org: 'studio',
  board: 'b1',
  priority: 0,
  paused: false,
  state: { kind: 'queued' },
  bytesDone,
  bytesTotal: 100,
  speed: 0,
  etaSeconds: null,
  attempts: 0,
  createdAt: 1,
  updatedAt: 1,
})

describe('job table', () => {
  it('reads like a map, in the order jobs joined, a repeated id keeping its last copy', () => {
    const table = JobTable.from([job('a'), job('b'), job('a', 5)])
    expect(table.size).toBe(2)
    expect(table.get('a')?.bytesDone).toBe(5)
    expect(table.has('b')).toBe(true)
    expect(table.has('c')).toBe(false)
    expect([...table.keys()]).toEqual(['a', 'b'])
    expect([...table].map(([id, j]) => `${id}:${j.bytesDone}`)).toEqual(['a:5', 'b:0'])
    expect(new Map(table).get('b')).toBe(table.get('b'))
    expect(JobTable.empty.size).toBe(0)
  })

  it('leaves the table it was made from as it was', () => {
    const before = JobTable.from([job('a'), job('b')])
    const after = before.with([job('a', 50), job('c')])
    expect(after.get('a')?.bytesDone).toBe(50)
    expect(after.get('c')).toBeDefined()
    expect(after.size).toBe(3)
    expect(before.get('a')?.bytesDone).toBe(0)
    expect(before.get('c')).toBeUndefined()
    expect(before.has('c')).toBe(false)
    expect(before.size).toBe(2)
    expect([...before.keys()]).toEqual(['a', 'b'])
  })

  it('gives two tables grown from the same one their own jobs (no shared slot)', () => {
    const base = JobTable.from([job('a')])
    const left = base.with([job('x', 1)])
    const right = base.with([job('y', 2)])
    expect(left.get('x')?.bytesDone).toBe(1)
    expect(left.get('y')).toBeUndefined()
    expect(right.get('y')?.bytesDone).toBe(2)
    expect(right.get('x')).toBeUndefined()
    // Growing each again keeps them apart.
    const left2 = left.with([job('z', 3)])
    const right2 = right.with([job('z', 4), job('x', 5)])
    expect(left2.get('z')?.bytesDone).toBe(3)
    expect(right2.get('z')?.bytesDone).toBe(4)
    expect(right2.get('x')?.bytesDone).toBe(5)
    expect(left2.get('x')?.bytesDone).toBe(1)
    expect([...right2.keys()]).toEqual(['a', 'y', 'z', 'x'])
    expect(base.size).toBe(1)
  })

  it('lets a draft read back its own changes and gives the same table back when nothing changed', () => {
    const table = JobTable.from([job('a')])
    const draft = table.edit()
    expect(draft.done()).toBe(table)
    const next = table.edit()
    next.set(job('a', 7))
    expect(next.get('a')?.bytesDone).toBe(7)
    next.set(job('n', 1))
    expect(next.get('n')?.bytesDone).toBe(1)
    next.set(job('n', 2))
    const done = next.done()
    expect(done.size).toBe(2)
    expect(done.get('n')?.bytesDone).toBe(2)
    expect(table.get('a')?.bytesDone).toBe(0)
  })

  it('merges a batch of known jobs, then new ones, each seeing the changes before it', () => {
    const table = JobTable.from([job('a'), job('b')])
    const seen: string[] = []
    const merged = table.merge(
      [job('a', 1), job('n', 2), job('b', 3), job('n', 4), job('a', 5)],
      (known, next) => {
        seen.push(`${next.id}:${known?.bytesDone ?? '-'}`)
        return true
      },
    )
    expect(seen).toEqual(['a:0', 'n:-', 'b:0', 'n:2', 'a:1'])
    expect([...merged].map(([id, j]) => `${id}:${j.bytesDone}`)).toEqual(['a:5', 'b:3', 'n:4'])
    expect([...table].map(([id, j]) => `${id}:${j.bytesDone}`)).toEqual(['a:0', 'b:0'])
    expect(table.has('n')).toBe(false)
  })

  it('gives the same table back when a batch changes nothing, new jobs in it or not', () => {
    const table = JobTable.from([job('a'), job('b')])
    expect(table.merge([job('a', 1), job('b', 1)], () => false)).toBe(table)
    expect(table.merge([job('a', 1), job('n', 1)], () => false)).toBe(table)
    const onlyKnown = table.merge([job('a', 1), job('n', 1)], (known) => known !== undefined)
    expect(onlyKnown).not.toBe(table)
    expect(onlyKnown.get('a')?.bytesDone).toBe(1)
    expect(onlyKnown.has('n')).toBe(false)
    expect(table.get('a')?.bytesDone).toBe(0)
  })
})
