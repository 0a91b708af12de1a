/**
 * Upload lanes: large files run `concurrency` at a time, small files many more (latency-bound),
 * and the next batch is prepared while the current one uploads. Observed on the wire (storage
 * requests in flight through a counting transport) and in the queue's events, never in time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHttp } from '../../../src/engine/playbook/http.ts'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { createUploadLanes } from '../../../src/engine/transfer/upload-lanes.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

/** A real transport that records the most storage requests it had in flight at once. */
function countingHttp(): Http & { readonly most: () => number } {
  const inner = createHttp()
  let now = 0
  let most = 0
  return {
    async send(req) {
      const storage = req.url.includes('/storage/')
      if (storage) most = Math.max(most, ++now)
      try {
        return await inner.send(req)
      } finally {
        if (storage) now--
      }
    },
    close: () => inner.close(),
    most: () => most,
  }
}

describe('upload lanes (policy)', () => {
  it('lets few large files and many small ones run, within a byte bound', () => {
    const lanes = createUploadLanes({
      concurrency: 2,
      smallMaxBytes: 1000,
      smallLanes: 3,
      smallBytesInFlight: 2500,
    })
    expect(lanes.ahead).toBe(5)
    lanes.started('L1', 5000)
    lanes.started('L2', 5000)
    expect(lanes.canStart(5000)).toBe(false)
    expect(lanes.canStart(900)).toBe(true)
    lanes.started('s1', 900)
    lanes.started('s2', 900)
    // A third small file would hold 2,700 bytes in flight: over the bound.
    expect(lanes.canStart(900)).toBe(false)
    expect(lanes.canStart(500)).toBe(true)
    lanes.started('s3', 500)
    expect(lanes.canStart(1)).toBe(false)
    lanes.ended('L1')
    expect(lanes.canStart(5000)).toBe(true)
    lanes.ended('s1')
    lanes.ended('s1')
    expect(lanes.canStart(900)).toBe(true)
  })

  it('bounds the bytes all uploads hold, large ones counting two chunks each', () => {
    const lanes = createUploadLanes({
      concurrency: 4,
      smallMaxBytes: 1000,
      maxBytesInFlight: 5000,
    })
    lanes.started('L1', 1e9)
    lanes.started('L2', 1e9)
    expect(lanes.bytesInFlight).toBe(4000)
    // A third large file would hold 6,000 bytes: over the bound though a large lane is free.
    expect(lanes.canStart(1e9)).toBe(false)
    expect(lanes.canStart(1000)).toBe(true)
    lanes.ended('L2')
    expect(lanes.canStart(1e9)).toBe(true)
  })

  it('resizes while uploads run: running ones stay, new ones wait for the new count', () => {
    const lanes = createUploadLanes({ concurrency: 3, smallMaxBytes: 10 })
    for (const id of ['a', 'b', 'c']) lanes.started(id, 100)
    lanes.resize(1)
    expect(lanes.canStart(100)).toBe(false)
    lanes.ended('a')
    lanes.ended('b')
    expect(lanes.canStart(100)).toBe(false)
    lanes.ended('c')
    expect(lanes.canStart(100)).toBe(true)
    lanes.started('d', 100)
    lanes.resize(2)
    expect(lanes.canStart(100)).toBe(true)
    expect(lanes.ahead).toBe(2 + 32)
  })

  it('always lets one upload run, however large', () => {
    const lanes = createUploadLanes({ concurrency: 1, smallMaxBytes: 10, smallBytesInFlight: 5 })
    expect(lanes.canStart(1e12)).toBe(true)
    expect(lanes.canStart(8)).toBe(true)
  })
})

describe('upload lanes (queue against the sandbox)', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('runs many small uploads at once but only `concurrency` large ones', async () => {
    // Every storage request is held a little, so concurrent ones overlap on the wire.
    await world.faults([{ path: '/storage', action: 'delay', delay_ms: 60, times: 1000 }])
    const small = []
    for (let i = 0; i < 40; i++) small.push(await world.file(`s-${i}.txt`, 2000 + i))
    const http = countingHttp()
    const { queue } = world.queue({ concurrency: 2, chunkSize: 256 * 1024, http })
    queue.enqueue(small.map((f, i) => world.request(f, `s-${i}.txt`)))
    queue.start()
    await queue.drained()
    expect(http.most()).toBeGreaterThan(2)
    const got = await landed(
      world,
      small.map((f, i) => ({ title: `s-${i}.txt`, sha256: f.sha256 })),
    )
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])

    const large = []
    for (let i = 0; i < 4; i++) large.push(await world.file(`L-${i}.bin`, 700_000))
    const http2 = countingHttp()
    const second = world.queue({ concurrency: 2, chunkSize: 256 * 1024, http: http2 })
    second.queue.enqueue(large.map((f, i) => world.request(f, `L-${i}.bin`)))
    second.queue.start()
    await second.queue.drained()
    expect(http2.most()).toBeLessThanOrEqual(2)
    expect(second.queue.totals()).toMatchObject({ done: 4, failed: 0 })
    await http.close()
    await http2.close()
  })

  it('prepares the next batch while the current one is still uploading', async () => {
    await world.faults([{ path: '/storage', action: 'delay', delay_ms: 20, times: 1000 }])
    const files = []
    for (let i = 0; i < 150; i++) files.push(await world.file(`p-${i}.txt`, 100 + i))
    const { queue, events } = world.queue({ concurrency: 2 })
    const ids = queue.enqueue(files.map((f, i) => world.request(f, `p-${i}.txt`)))
    queue.start()
    await queue.drained()
    const firstBatch = new Set(ids.slice(0, 100))
    const order = events.flatMap((e) =>
      e.type === 'job-changed' ? [{ id: e.job.id, state: e.job.state.kind }] : [],
    )
    const secondPrepared = order.findIndex((e) => !firstBatch.has(e.id) && e.state === 'preparing')
    expect(secondPrepared).toBeGreaterThan(-1)
    // Uploads of the first batch finished by then: the lanes were far from running dry.
    const uploadedBefore = order
      .slice(0, secondPrepared)
      .filter((e) => firstBatch.has(e.id) && e.state === 'completing').length
    expect(uploadedBefore).toBeLessThan(80)
    expect(queue.totals()).toMatchObject({ done: 150, failed: 0 })
  })

  it('keeps preparing while uploads run: the next batch is ready before the lanes run dry', async () => {
    await world.faults([{ path: '/storage', action: 'delay', delay_ms: 20, times: 10_000 }])
    const files = []
    for (let i = 0; i < 300; i++) files.push(await world.file(`k-${i}.txt`, 200 + i))
    const { queue, events } = world.queue({ concurrency: 2 })
    const ids = queue.enqueue(files.map((f, i) => world.request(f, `k-${i}.txt`)))
    queue.start()
    await queue.drained()
    expect(queue.totals()).toMatchObject({ done: 300, failed: 0 })
    const batchOf = new Map(ids.map((id, i) => [id, Math.floor(i / 100)]))
    const order = events.flatMap((e) =>
      e.type === 'job-changed'
        ? [{ batch: batchOf.get(e.job.id) ?? -1, state: e.job.state.kind }]
        : [],
    )
    const first = (batch: number, state: string): number =>
      order.findIndex((e) => e.batch === batch && e.state === state)
    // The second batch is prepared as soon as the first starts uploading, before any of its
    // uploads has finished (small files go fast: a batch ahead costs nothing).
    expect(first(1, 'preparing')).toBeGreaterThan(first(0, 'uploading'))
    expect(first(1, 'preparing')).toBeLessThan(first(0, 'completing'))
    // The third is prepared while earlier files are still uploading: one finishes after it.
    const third = first(2, 'preparing')
    expect(third).toBeGreaterThan(-1)
    expect(order.slice(third).some((e) => e.batch < 2 && e.state === 'completing')).toBe(true)
  })
})
