import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { QueueEvent } from '../../../src/engine/transfer/types.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const KiB = 1024
const chunkSize = 256 * KiB

/** Waits until an event matching `pred` arrives (or was already seen). */
function eventually(
  events: QueueEvent[],
  subscribe: (l: (e: QueueEvent) => void) => () => void,
  pred: (e: QueueEvent) => boolean,
): Promise<QueueEvent> {
  const seen = events.find(pred)
  if (seen !== undefined) return Promise.resolve(seen)
  return new Promise((resolve) => {
    const off = subscribe((e) => {
      if (pred(e)) {
        off()
        resolve(e)
      }
    })
  })
}

describe('transfer queue through injected faults', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  async function uploadThrough(
    rules: readonly Record<string, unknown>[],
    sizes: readonly number[] = [1_300_000],
  ): Promise<void> {
    const files = await Promise.all(sizes.map((s, i) => world.file(`fault-${i}.bin`, s)))
    await world.faults(rules)
    const { queue } = world.queue({ chunkSize })
    queue.enqueue(files.map((f, i) => world.request(f, `fault-${i}.bin`)))
    queue.start()
    await queue.drained()
    const want = files.map((f, i) => ({ title: `fault-${i}.bin`, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    expect((await world.stats()).duplicates).toBe(0)
    expect(queue.totals()).toMatchObject({ done: files.length, failed: 0 })
  }

  it('survives connection resets mid-chunk', async () => {
    await uploadThrough([
      { method: 'PUT', path: '/storage', action: 'reset', after_bytes: 100_000, times: 3 },
    ])
  })

  it('passes the CLI check scenario: resets, 503s and a 429 over a 24 MB file, small and empty files', async () => {
    const files = [
      await world.file('big.bin', 24 * 1024 * 1024 + 12345),
      ...(await Promise.all(
        [1, 2, 3, 4, 5].map((i) => world.file(`small-${i}.dat`, i * 7919 + 1)),
      )),
      await world.file('empty.txt', 0),
    ]
    await world.faults([
      { method: 'PUT', path: '/storage', action: 'reset', after_bytes: 3_000_000, times: 2 },
      { method: 'PUT', path: '/storage', action: 'status', status: 503, times: 2 },
      { method: 'POST', path: '/v1', action: 'status', status: 429, retry_after: 1, times: 1 },
    ])
    const { queue } = world.queue({ chunkSize: 8 * 1024 * 1024 })
    queue.enqueue(files.map((f) => world.request(f, f.path.split('/').pop() as string)))
    queue.start()
    await queue.drained()
    const want = files.map((f) => ({ title: f.path.split('/').pop() as string, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    expect((await world.stats()).duplicates).toBe(0)
  })

  it('survives bursts of 503 from storage and the API', async () => {
    await uploadThrough(
      [
        { method: 'PUT', path: '/storage', action: 'status', status: 503, times: 3 },
        { method: 'POST', path: '/v1', action: 'status', status: 503, times: 2 },
      ],
      [600_000, 300_000],
    )
  })

  it('honours 429 with Retry-After on the API', async () => {
    await uploadThrough([
      { method: 'POST', path: '/v1', action: 'status', status: 429, retry_after: 1, times: 2 },
    ])
    const stats = await world.stats()
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(1)
  })

  it('trusts only the Range of a short 308 (partial)', async () => {
    await uploadThrough([
      {
        method: 'PUT',
        path: '/storage/session',
        action: 'partial',
        after_bytes: 100_000,
        times: 3,
      },
    ])
  })

  it('starts again from prepare when the session expired (410)', async () => {
    const f = await world.file('expire.bin', 1_500_000)
    const { queue, events } = world.queue({ chunkSize })
    queue.enqueue([world.request(f, 'expire.bin')])
    let paused = false
    queue.subscribe((e) => {
      if (!paused && e.type === 'job-progress' && e.job.bytesDone > 0) {
        paused = true
        queue.pause()
      }
    })
    queue.start()
    await eventually(
      events,
      queue.subscribe,
      (e) => e.type === 'job-progress' && e.job.bytesDone > 0,
    )
    await queue.stop()
    await world.admin('/__sandbox/clock', { advance_s: 8 * 24 * 3600 })
    queue.resume()
    queue.start()
    await queue.drained()
    expect(await landed(world, [{ title: 'expire.bin', sha256: f.sha256 }])).toEqual([
      { title: 'expire.bin', count: 1, sameBytes: true },
    ])
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['POST /v1/:org/assets/upload_prepare']).toBe(2)
  })

  it('starts again from prepare when the signed upload URL expired', async () => {
    const f = await world.file('late.bin', 400_000)
    const { queue, events } = world.queue({ chunkSize })
    queue.subscribe((e) => {
      if (e.type === 'job-changed' && e.job.state.kind === 'uploading' && e.job.attempts === 0)
        queue.pause()
    })
    queue.enqueue([world.request(f, 'late.bin')])
    queue.start()
    await eventually(
      events,
      queue.subscribe,
      (e) => e.type === 'job-changed' && e.job.state.kind === 'uploading',
    )
    await world.admin('/__sandbox/clock', { advance_s: 25 * 3600 })
    queue.resume()
    await queue.drained()
    expect(await landed(world, [{ title: 'late.bin', sha256: f.sha256 }])).toEqual([
      { title: 'late.bin', count: 1, sameBytes: true },
    ])
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['POST /v1/:org/assets/upload_prepare']).toBe(2)
  })

  it('prepares again when completion comes after the upload expired (422), without a duplicate', async () => {
    const f = await world.file('slow-complete.bin', 300_000)
    await world.admin('/__sandbox/faults', {
      rules: [
        { method: 'POST', path: '/v1/*/assets/upload_complete', action: 'delay', delay_ms: 1500 },
      ],
    })
    const { queue, events } = world.queue({ chunkSize })
    let moved: Promise<unknown> | undefined
    queue.subscribe((e) => {
      // The completion is in flight (held by the delay) when a day passes on the server's clock.
      if (moved === undefined && e.type === 'job-changed' && e.job.state.kind === 'completing')
        moved = world.admin('/__sandbox/clock', { advance_s: 25 * 3600 })
    })
    queue.enqueue([world.request(f, 'slow-complete.bin')])
    queue.start()
    await eventually(
      events,
      queue.subscribe,
      (e) => e.type === 'job-changed' && e.job.state.kind === 'completing',
    )
    await moved
    await queue.drained()
    expect(queue.jobs()[0]?.state.kind).toBe('done')
    expect(await landed(world, [{ title: 'slow-complete.bin', sha256: f.sha256 }])).toEqual([
      { title: 'slow-complete.bin', count: 1, sameBytes: true },
    ])
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['POST /v1/:org/assets/upload_prepare']).toBe(2)
  })

  it('pauses on a revoked token, loses nothing, and resumes with a new one', async () => {
    const f = await world.file('revoked.bin', 1_000_000)
    const { queue, events } = world.queue({ chunkSize })
    let revoked: Promise<unknown> | undefined
    queue.subscribe((e) => {
      if (revoked === undefined && e.type === 'job-progress' && e.job.bytesDone > 0) {
        revoked = world.admin('/__sandbox/tokens/revoke', { token: world.token })
      }
    })
    queue.enqueue([world.request(f, 'revoked.bin')])
    queue.start()
    await eventually(events, queue.subscribe, (e) => e.type === 'auth-required')
    await revoked
    expect(queue.jobs()[0]?.state.kind).not.toBe('failed')
    expect(await world.assets()).toEqual([])

    const client = world.client()
    await client.requestMagicLink({
      email: 'designer@example.com',
      redirect_uri: 'playbook-sync://auth',
    })
    const mail = (await world.admin('/__sandbox/mailbox')) as { data: { link: string }[] }
    const code = new URL(mail.data.at(-1)?.link ?? '').searchParams.get('code') ?? ''
    world.token = (await client.exchangeMagicLinkCode(code)).access_token
    queue.resume()
    await queue.drained()
    expect(await landed(world, [{ title: 'revoked.bin', sha256: f.sha256 }])).toEqual([
      { title: 'revoked.bin', count: 1, sameBytes: true },
    ])
    expect((await world.stats()).duplicates).toBe(0)
  })
})
