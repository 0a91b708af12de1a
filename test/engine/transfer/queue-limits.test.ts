/**
 * Live limits: `setLimits` changes the bandwidth cap of uploads already running and resizes the
 * lanes without dropping in-flight work. Observed on the wire and in events, never in time: an
 * upload capped at 1 byte per second can only finish if the new cap reached it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLiveThrottle } from '../../../src/engine/transfer/throttle.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

describe('live throttle', () => {
  it('wakes a waiting sender when the cap is lifted or raised', async () => {
    const t = 0
    const waits: number[] = []
    const throttle = createLiveThrottle(100, {
      now: () => t,
      // Never ends by itself: only a rate change (an abort) frees the waiter.
      sleep: (ms, signal) =>
        new Promise((_, reject) => {
          waits.push(Math.round(ms))
          signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })
        }),
    })
    await throttle.take(100)
    const waiting = throttle.take(1000)
    await Promise.resolve()
    expect(waits).toEqual([10_000])
    throttle.setRate(1000)
    await Promise.resolve()
    await Promise.resolve()
    // Looked again at the new rate: the same debt now waits one second.
    expect(waits).toEqual([10_000, 1000])
    throttle.setRate(0)
    await waiting
    expect(throttle.bytesPerSecond).toBe(0)
    await throttle.take(10 ** 9)
  })

  it('a cancelled sender still stops while it waits', async () => {
    const throttle = createLiveThrottle(1)
    await throttle.take(1)
    const controller = new AbortController()
    const waiting = throttle.take(1000, controller.signal)
    controller.abort()
    await expect(waiting).rejects.toThrow()
  })
})

describe('setLimits on a running queue', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('lifts a bandwidth cap on an upload already running', async () => {
    const file = await world.file('capped.bin', 600_000)
    const { queue, events } = world.queue({ bwlimit: 1, chunkSize: 256 * 1024 })
    queue.enqueue([world.request(file, 'capped.bin')])
    queue.start()
    // Wait until the upload runs (its session is open), then lift the cap.
    await until(() =>
      events.some((e) => e.type === 'job-changed' && e.job.state.kind === 'uploading'),
    )
    await until(() => queue.totals().sending === 1)
    queue.setLimits({ bwlimit: 0 })
    await queue.drained()
    expect(queue.totals()).toMatchObject({ done: 1, failed: 0 })
    const got = await landed(world, [{ title: 'capped.bin', sha256: file.sha256 }])
    expect(got).toEqual([{ title: 'capped.bin', count: 1, sameBytes: true }])
  })

  it('shrinks and grows the lanes while uploads run, dropping nothing', async () => {
    await world.faults([{ path: '/storage', action: 'delay', delay_ms: 40, times: 10_000 }])
    const files = []
    for (let i = 0; i < 8; i++) files.push(await world.file(`L-${i}.bin`, 600_000))
    const { queue, events } = world.queue({ concurrency: 3, chunkSize: 256 * 1024 })
    const sending: number[] = []
    let resized = false
    queue.subscribe((e) => {
      if (e.type === 'totals' && resized) sending.push(e.totals.sending ?? 0)
    })
    queue.enqueue(files.map((f, i) => world.request(f, `L-${i}.bin`)))
    queue.start()
    await until(() => queue.totals().sending === 3)
    queue.setLimits({ concurrency: 1 })
    resized = true
    const uploaded = (): number =>
      events.filter((e) => e.type === 'job-changed' && e.job.state.kind === 'completing').length
    await until(() => queue.totals().sending === 1 && uploaded() >= 3)
    // From the resize on, the number sending only fell until it reached one.
    let cap = 3
    for (const n of sending) {
      expect(n).toBeLessThanOrEqual(cap)
      cap = Math.max(1, Math.min(cap, n))
    }
    expect(cap).toBe(1)
    queue.setLimits({ concurrency: 4 })
    await until(
      () => (queue.totals().sending ?? 0) > 1 || queue.totals().queued + queue.totals().active <= 1,
    )
    await queue.drained()
    expect(queue.totals()).toMatchObject({ done: 8, failed: 0 })
    // Nothing running was stopped: no job went back to be prepared again, each session opened once.
    const requeued = events.filter((e) => e.type === 'job-changed' && e.job.state.kind === 'queued')
    expect(requeued).toEqual([])
    expect((await world.stats()).requests['POST /storage/upload/:id']).toBe(8)
    const got = await landed(
      world,
      files.map((f, i) => ({ title: `L-${i}.bin`, sha256: f.sha256 })),
    )
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
  })

  it('refuses limits out of range in words', () => {
    const { queue } = world.queue()
    expect(() => queue.setLimits({ concurrency: 0 })).toThrow(/Files at once/)
    expect(() => queue.setLimits({ concurrency: 17 })).toThrow(/1 to 16/)
    expect(() => queue.setLimits({ bwlimit: -1 })).toThrow(/bandwidth cap/)
  })
})

/** Polls a condition on the event loop (no timing assertion: the test fails only by timeout). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}
