import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

describe('batching', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads 250 small files with at most 3 prepare and 3 complete calls', async () => {
    const files = []
    for (let i = 0; i < 250; i++)
      files.push(await world.file(`small-${String(i).padStart(3, '0')}.txt`, 10 + i * 7))
    const { queue } = world.queue()
    queue.enqueue(files.map((f, i) => world.request(f, `small-${String(i).padStart(3, '0')}.txt`)))
    queue.start()
    await queue.drained()
    const stats = await world.stats()
    const calls = (name: string): number => stats.requests[`POST /v1/:org/assets/${name}`] ?? 0
    expect(calls('batch_upload_prepare') + calls('upload_prepare')).toBeLessThanOrEqual(3)
    expect(calls('batch_upload_complete') + calls('upload_complete')).toBeLessThanOrEqual(3)
    expect(stats.duplicates).toBe(0)
    const want = files.map((f, i) => ({
      title: `small-${String(i).padStart(3, '0')}.txt`,
      sha256: f.sha256,
    }))
    const got = await landed(world, want)
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
    expect(queue.totals()).toMatchObject({ done: 250, failed: 0 })
  })

  it('after an ambiguous 502 on batch completion, looks assets up instead of duplicating', async () => {
    const files = await Promise.all([0, 1, 2].map((i) => world.file(`amb-${i}.txt`, 100 + i)))
    // A 502 made nothing here: after the grace period the jobs are completed again.
    const { queue } = world.queue({ completionGraceMs: 1000 })
    queue.enqueue(files.map((f, i) => world.request(f, `amb-${i}.txt`)))
    await world.faults([
      {
        method: 'POST',
        path: '/v1/*/batch_upload_complete',
        action: 'status',
        status: 502,
        times: 1,
      },
    ])
    queue.start()
    await queue.drained()
    const want = files.map((f, i) => ({ title: `amb-${i}.txt`, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['GET /v1/:org/boards/:token/assets']).toBeGreaterThanOrEqual(1)
  })

  it('fails only the row Playbook refuses and completes the others', async () => {
    const files = await Promise.all([0, 1, 2].map((i) => world.file(`row-${i}.txt`, 100 + i)))
    const { queue } = world.queue()
    const ids = queue.enqueue(files.map((f, i) => world.request(f, `row-${i}.txt`)))
    queue.subscribe((e) => {
      // Simulates a row the server refuses: its media type no longer matches what was prepared.
      if (e.type === 'job-changed' && e.job.id === ids[1] && e.job.state.kind === 'completing') {
        queue.store.patch(e.job.id, { mediaType: 'image/png' })
      }
    })
    queue.start()
    await queue.drained()
    const refused = queue.job(ids[1] ?? '')
    expect(refused?.state).toMatchObject({ kind: 'failed', retryable: false })
    expect(refused?.state.kind === 'failed' ? refused.state.reason : '').toMatch(/media_type/)
    expect(queue.job(ids[0] ?? '')?.state.kind).toBe('done')
    expect(queue.job(ids[2] ?? '')?.state.kind).toBe('done')
    expect((await world.stats()).requests['POST /v1/:org/assets/batch_upload_complete']).toBe(1)
  })
})
