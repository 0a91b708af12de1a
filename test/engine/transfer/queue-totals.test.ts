import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createJobStore } from '../../../src/engine/transfer/job-store.ts'
import { queueTotals } from '../../../src/engine/transfer/queue-totals.ts'
import type { RunningUploads } from '../../../src/engine/transfer/queue-totals.ts'
import type { UploadRequest } from '../../../src/engine/transfer/types.ts'

const file = (key: string, size: number): UploadRequest => ({
  dedupeKey: key,
  source: { kind: 'file', path: `/in/${key}.bin`, size, mtimeMs: 1 },
  org: 'acme',
  board: 'b1',
  title: `${key}.bin`,
})

/** The running uploads as the upload stage reports them: speed and sent bytes per job. */
function running(jobs: ReadonlyMap<string, { speed: number; sent: number }>): RunningUploads {
  return {
    ids: () => jobs.keys(),
    speedOf: (id) => jobs.get(id)?.speed ?? 0,
    sentEntries: () => new Map([...jobs].map(([id, j]) => [id, j.sent])).entries(),
    count: () => jobs.size,
  }
}

describe('queue totals', () => {
  it('counts jobs by state, leaves cancelled bytes out, and adds sent bytes ahead of confirmed ones', () => {
    const store = createJobStore(openDatabase(':memory:'))
    const [, up, done, cancelled] = store.enqueue([
      file('queued', 1000),
      file('up', 4000),
      file('done', 2000),
      file('cancelled', 8000),
    ]).ids as [string, string, string, string]
    store.transition(up, 'preparing')
    store.transition(up, 'uploading', { confirmedBytes: 1000 })
    store.transition(done, 'preparing')
    store.transition(done, 'uploading', { confirmedBytes: 2000 })
    store.transition(done, 'completing')
    store.transition(done, 'done')
    store.transition(cancelled, 'cancelled')

    const totals = queueTotals(store, running(new Map([[up, { speed: 500, sent: 2500 }]])), false)
    expect(totals).toEqual({
      queued: 1,
      active: 1,
      sending: 1,
      done: 1,
      failed: 0,
      cancelled: 1,
      bytesDone: 3000,
      // 1,500 bytes of `up` are on the wire, not yet confirmed by storage.
      bytesSent: 4500,
      bytesTotal: 7000,
      speed: 500,
      paused: false,
    })
  })

  it('never counts sent bytes behind what storage confirmed, nor for a job no longer uploading', () => {
    const store = createJobStore(openDatabase(':memory:'))
    const [a, b] = store.enqueue([file('a', 1000), file('b', 1000)]).ids as [string, string]
    store.transition(a, 'preparing')
    store.transition(a, 'uploading', { confirmedBytes: 800 })
    store.transition(b, 'preparing')
    store.transition(b, 'uploading', { confirmedBytes: 1000 })
    store.transition(b, 'completing')
    const totals = queueTotals(
      store,
      running(
        new Map([
          [a, { speed: 0, sent: 300 }],
          [b, { speed: 0, sent: 1000 }],
        ]),
      ),
      true,
    )
    expect(totals).toMatchObject({ bytesDone: 1800, bytesSent: 1800, paused: true, active: 2 })
  })
})
