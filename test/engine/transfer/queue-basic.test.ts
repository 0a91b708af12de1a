import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

describe('transfer queue against the sandbox', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads a lone file with the single calls and a few with the batch calls', async () => {
    const lone = await world.file('lone.bin', 700_000)
    const { queue, events } = world.queue({ chunkSize: 256 * 1024 })
    queue.enqueue([world.request(lone, 'lone.bin')])
    queue.start()
    await queue.drained()
    const files = await Promise.all([1, 2, 3].map((i) => world.file(`f${i}.dat`, 1000 * i)))
    queue.enqueue(files.map((f, i) => world.request(f, `f${i + 1}.dat`)))
    await queue.drained()
    const all = [
      { title: 'lone.bin', sha256: lone.sha256 },
      ...files.map((f, i) => ({ title: `f${i + 1}.dat`, sha256: f.sha256 })),
    ]
    expect(await landed(world, all)).toEqual(
      all.map((f) => ({ title: f.title, count: 1, sameBytes: true })),
    )
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['POST /v1/:org/assets/upload_prepare']).toBe(1)
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(1)
    expect(stats.requests['POST /v1/:org/assets/batch_upload_prepare']).toBe(1)
    expect(stats.requests['POST /v1/:org/assets/batch_upload_complete']).toBe(1)
    expect(queue.totals()).toMatchObject({ done: 4, failed: 0, queued: 0, active: 0 })
    const states = events
      .filter((e) => e.type === 'job-changed')
      .map((e) => (e.type === 'job-changed' ? e.job.state.kind : ''))
    expect(states).toContain('uploading')
    expect(states).toContain('completing')
    expect(events.some((e) => e.type === 'job-progress')).toBe(true)
  })
})
