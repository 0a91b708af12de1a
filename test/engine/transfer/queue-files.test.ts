import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { appendFile, rm } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Priority } from '../../../src/engine/transfer/types.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

describe('odd files and queue controls', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads zero-byte files and unicode, NFD, emoji and very long names', async () => {
    const names = [
      'empty.txt',
      'Übersicht-Café.png'.normalize('NFC'),
      'résumé-décor.jpg'.normalize('NFD'),
      '🎨 moodboard 🌈.webp',
      '設計図-最終版.pdf',
      `${'long-name-'.repeat(22)}end.bin`,
    ]
    const files = await Promise.all(names.map((n, i) => world.file(n, i === 0 ? 0 : 5000 + i)))
    const { queue } = world.queue()
    queue.enqueue(files.map((f, i) => world.request(f, names[i] as string)))
    queue.start()
    await queue.drained()
    const want = files.map((f, i) => ({ title: names[i] as string, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    expect((await world.stats()).duplicates).toBe(0)
  })

  // Streamed, the segment buffers are reused in turn: storage's bytes (hashed by the sandbox) must
  // still be the file's, so no buffer was refilled while its bytes were on their way.
  it.each([
    ['chunked, one chunk in flight', { chunkSize: 8 * 1024 * 1024 }],
    ['streamed, segment buffers reused', {}],
  ])('uploads a 100 MB file with flat memory (%s)', async (_name, options) => {
    const big = await world.file('big.bin', 100 * 1024 * 1024)
    const { queue } = world.queue(options)
    let peak = 0
    const base = process.memoryUsage().rss
    queue.subscribe((e) => {
      if (e.type === 'job-progress') peak = Math.max(peak, process.memoryUsage().rss - base)
    })
    queue.enqueue([world.request(big, 'big.bin')])
    queue.start()
    await queue.drained()
    expect(await landed(world, [{ title: 'big.bin', sha256: big.sha256 }])).toEqual([
      { title: 'big.bin', count: 1, sameBytes: true },
    ])
    // The sandbox runs in this process too; still far below the file's size.
    expect(peak).toBeLessThan(80 * 1024 * 1024)
  })

  it('stops a job whose file changed or vanished and reports it; retry uploads the new content', async () => {
    const changing = await world.file('changing.bin', 300_000)
    const vanishing = await world.file('vanishing.bin', 300_000)
    const { queue, events } = world.queue({ chunkSize: 256 * 1024 })
    await appendFile(changing.path, 'more bytes')
    await rm(vanishing.path)
    const [changedId, vanishedId] = queue.enqueue([
      world.request(changing, 'changing.bin'),
      world.request(vanishing, 'vanishing.bin'),
    ])
    queue.start()
    await queue.drained()
    const changedEvents = events
      .filter((e) => e.type === 'job-source-changed')
      .map((e) => ('job' in e ? e.job.id : ''))
    expect(changedEvents.sort()).toEqual([changedId, vanishedId].sort())
    expect(queue.job(changedId ?? '')?.state).toMatchObject({ kind: 'failed', retryable: true })
    expect(await world.assets()).toEqual([])
    queue.retry(changedId)
    await queue.drained()
    const assets = await world.assets()
    expect(assets.map((a) => [a.title, a.size])).toEqual([['changing.bin', 300_010]])
  })

  it('dedupes by key, runs user files first, pauses, resumes and cancels', async () => {
    const files = await Promise.all([0, 1, 2, 3].map((i) => world.file(`ctl-${i}.bin`, 600_000)))
    const { queue, events } = world.queue({ concurrency: 1, chunkSize: 256 * 1024 })
    const ids = queue.enqueue(files.slice(0, 3).map((f, i) => world.request(f, `ctl-${i}.bin`)))
    expect(queue.enqueue([world.request(files[0]!, 'ctl-0.bin')])).toEqual([ids[0]])
    const [urgent] = queue.enqueue([
      world.request(files[3]!, 'ctl-3.bin', { priority: Priority.user }),
    ])
    queue.pause(ids[1])
    queue.cancel(ids[2] ?? '')
    queue.start()
    await queue.drained()
    const order = events
      .filter((e) => e.type === 'job-changed' && e.job.state.kind === 'uploading')
      .map((e) => ('job' in e ? e.job.id : ''))
    expect(order[0]).toBe(urgent)
    expect(queue.job(ids[1] ?? '')?.paused).toBe(true)
    expect(queue.job(ids[1] ?? '')?.state.kind).toBe('queued')
    expect(queue.job(ids[2] ?? '')?.state.kind).toBe('cancelled')
    queue.resume(ids[1])
    await queue.drained()
    expect((await world.assets()).map((a) => a.title).sort()).toEqual([
      'ctl-0.bin',
      'ctl-1.bin',
      'ctl-3.bin',
    ])
    // A cancelled key may be queued again as a new job.
    const [again] = queue.enqueue([world.request(files[2]!, 'ctl-2.bin')])
    expect(again).not.toBe(ids[2])
    await queue.drained()
    expect(queue.totals()).toMatchObject({ done: 4, cancelled: 1, failed: 0, queued: 0, active: 0 })
  })

  it('pauses one job mid-upload and resumes it from the confirmed offset', async () => {
    const f = await world.file('paused.bin', 1_500_000)
    const { queue } = world.queue({ chunkSize: 256 * 1024, bwlimit: 512 * 1024 })
    const [id] = queue.enqueue([world.request(f, 'paused.bin')])
    let pausedOnce = false
    queue.subscribe((e) => {
      if (!pausedOnce && e.type === 'job-progress' && e.job.id === id && e.job.bytesDone > 0) {
        pausedOnce = true
        queue.pause(id)
      }
    })
    queue.start()
    await new Promise<void>((resolve) => {
      const off = queue.subscribe((e) => {
        if (e.type === 'job-changed' && e.job.paused) {
          off()
          resolve()
        }
      })
    })
    await queue.drained()
    const paused = queue.job(id ?? '')
    expect(paused).toMatchObject({ paused: true, state: { kind: 'uploading' } })
    expect(paused?.bytesDone).toBeLessThan(f.size)
    queue.resume(id)
    await queue.drained()
    expect(await landed(world, [{ title: 'paused.bin', sha256: f.sha256 }])).toEqual([
      { title: 'paused.bin', count: 1, sameBytes: true },
    ])
    // Only the chunk cut off by the pause was sent twice.
    expect((await world.stats()).bytes_received).toBeLessThanOrEqual(f.size + 256 * 1024)
  })

  it('ingests URLs (single and batch) and polls skeletons to a terminal state', async () => {
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(2000, 7))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const { queue } = world.queue()
      const url = (path: string, asLink = false) => ({
        dedupeKey: path,
        source: { kind: 'url' as const, uri: `${base}${path}`, asLink },
        org: world.sandbox.org,
        board: world.board,
        title: path.slice(1),
      })
      const [lone] = queue.enqueue([url('/lone.png')])
      queue.start()
      await queue.drained()
      expect(queue.job(lone ?? '')?.state.kind).toBe('done')
      const ids = queue.enqueue([url('/a.png'), url('/b.png', true), url('/missing.png')])
      await queue.drained()
      expect(ids.map((id) => queue.job(id)?.state.kind)).toEqual(['done', 'done', 'failed'])
      const stats = await world.stats()
      expect(stats.requests['POST /v1/:org/assets']).toBe(1)
      expect(stats.requests['POST /v1/:org/assets/batch_create_from_urls']).toBe(1)
      expect((await world.assets()).map((a) => a.title).sort()).toEqual([
        'a.png',
        'b.png',
        'lone.png',
        'missing.png',
      ])
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
