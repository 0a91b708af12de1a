import { afterEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createTransferQueue } from '../../../src/engine/transfer/queue.ts'
import type { TransferQueueHandle } from '../../../src/engine/transfer/queue.ts'
import type { UploadRequest } from '../../../src/engine/transfer/types.ts'

// The light state read (`jobStates`, `hasUnpausedWork`) a rescan and the idle check make instead
// of whole snapshots: it must answer exactly what the snapshots say, in every state, paused or not.
// The queue is real but never started (its HTTP client is never called).
const file = (key: string, pairId = 'p1'): UploadRequest => ({
  dedupeKey: key,
  source: { kind: 'file', path: `/tmp/${key}.png`, size: 100, mtimeMs: 5 },
  org: 'acme',
  board: 'b1',
  title: `${key}.png`,
  origin: { pairId, relPath: `${key}.png` },
})

describe('transfer queue: light job states', () => {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })
  const open = (): TransferQueueHandle => {
    const db = openDatabase(':memory:')
    const client = createPlaybookClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 'x' })
    const queue = createTransferQueue({ db, client })
    closers.push(async () => {
      await queue.stop()
      await client.close()
      db.close()
    })
    return queue
  }
  /** What the snapshots say, in the shape `jobStates` answers. */
  const fromSnapshots = (queue: TransferQueueHandle, ids: readonly string[]) =>
    new Map(
      [...queue.jobsById(ids)].map(([id, job]) => [
        id,
        { kind: job.state.kind, paused: job.paused },
      ]),
    )

  it('gives the same state and pause flag as full snapshots, in every state', () => {
    const queue = open()
    const ids = queue.enqueue(Array.from({ length: 2500 }, (_, i) => file(`k${i}`)))
    const { store } = queue
    const at = (i: number): string => ids[i] as string
    store.transition(at(0), 'preparing')
    store.transition(at(1), 'preparing')
    store.transition(at(1), 'uploading')
    store.transition(at(2), 'failed', { failReason: 'refused' })
    store.transition(at(3), 'cancelled')
    store.patch(at(4), { paused: true })
    store.transition(at(5), 'preparing')
    store.transition(at(5), 'uploading')
    store.transition(at(5), 'completing')
    store.transition(at(5), 'done', { assetToken: 'A5' })
    const wanted = [...ids, 'no-such-job']
    const light = queue.jobStates(wanted)
    expect(light.size).toBe(2500)
    expect(light.has('no-such-job')).toBe(false)
    expect(light).toEqual(fromSnapshots(queue, ids))
    expect(light.get(at(2))).toEqual({ kind: 'failed', paused: false })
    expect(light.get(at(4))).toEqual({ kind: 'queued', paused: true })
    expect(light.get(at(5))).toEqual({ kind: 'done', paused: false })
  })

  it('counts the whole queue paused as paused, like a snapshot', () => {
    const queue = open()
    const ids = queue.enqueue([file('a'), file('b')])
    queue.start()
    queue.pause()
    expect(queue.jobStates(ids)).toEqual(fromSnapshots(queue, ids))
    expect([...queue.jobStates(ids).values()].every((s) => s.paused)).toBe(true)
  })

  it('tells whether a pair has unpaused work without reading its jobs', () => {
    const queue = open()
    const [a, b] = queue.enqueue([file('a', 'p1'), file('b', 'p1'), file('c', 'p2')]) as string[]
    const { store } = queue
    expect(queue.hasUnpausedWork('p1')).toBe(true)
    expect(queue.hasUnpausedWork('p3')).toBe(false)
    queue.pause(a)
    expect(queue.hasUnpausedWork('p1')).toBe(true)
    store.transition(b as string, 'cancelled')
    // Only a paused job is left to p1; p2 still has its own.
    expect(queue.hasUnpausedWork('p1')).toBe(false)
    expect(queue.hasUnpausedWork('p2')).toBe(true)
    queue.resume(a)
    expect(queue.hasUnpausedWork('p1')).toBe(true)
    store.transition(a as string, 'failed', { failReason: 'refused' })
    expect(queue.hasUnpausedWork('p1')).toBe(false)
  })

  it('answers retry waits from the index of backing-off jobs', () => {
    const queue = open()
    const [a, b] = queue.enqueue([file('a', 'p1'), file('b', 'p2')]) as string[]
    const { store } = queue
    const later = Date.now() + 60_000
    store.patch(a as string, { attempts: 2, notBefore: later, failReason: 'busy' })
    store.patch(b as string, { attempts: 0, notBefore: later })
    const waits = queue.retryWaits()
    expect(waits.get('p1')).toEqual({ until: later, reason: 'busy' })
    // A delay without a failed attempt is not a retry wait.
    expect(waits.has('p2')).toBe(false)
  })

  it('delivers to a listener only the event types it asked for', async () => {
    const queue = open()
    const results: string[] = []
    const everything: string[] = []
    queue.subscribe((event) => results.push(event.type), ['job-changed'])
    const [a] = queue.enqueue([file('a'), file('b')])
    queue.cancel(a as string)
    await new Promise((resolve) => setImmediate(resolve))
    expect(results).toEqual(['job-changed'])
    const stop = queue.subscribe((event) => everything.push(event.type))
    queue.enqueue([file('c')])
    await new Promise((resolve) => setImmediate(resolve))
    expect(everything).toEqual(['job-added', 'totals'])
    expect(results).toEqual(['job-changed'])
    stop()
  })
})
