/**
 * Upload URLs signed for a plain PUT (seed 003: "usually a pre-signed PUT URL"), against the
 * sandbox signing each `upload_url` for one method: a session start is refused with 403, and the
 * whole file goes in one PUT instead, landing once with its bytes; through a reset and a lost
 * answer, and after a SIGKILL mid-PUT (the restarted queue goes straight to the PUT). URLs signed
 * for the resumable POST (seed 002) still use sessions.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const KiB = 1024
const child = join(import.meta.dirname, 'fixtures', 'upload-child.ts')

async function signFor(world: World, method: 'POST' | 'PUT'): Promise<void> {
  await world.admin('/__sandbox/storage', { provider: 'gcs', upload_url_method: method })
}

describe('upload URLs signed for a single PUT', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('sends each file in one PUT when the URL refuses a session, each landing once', async () => {
    await signFor(world, 'PUT')
    const files = await Promise.all(
      [1000, 300 * KiB + 7, 2 * 1024 * KiB + 3].map((size, i) => world.file(`put-${i}.bin`, size)),
    )
    const { queue, events } = world.queue()
    queue.enqueue(files.map((f, i) => world.request(f, `put-${i}.bin`)))
    queue.start()
    await queue.drained()
    const got = await landed(
      world,
      files.map((f, i) => ({ title: `put-${i}.bin`, sha256: f.sha256 })),
    )
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
    const stats = await world.stats()
    expect(stats.requests['POST /storage/upload/:id']).toBe(3)
    expect(stats.requests['PUT /storage/upload/:id']).toBe(3)
    expect(stats.requests['PUT /storage/session/:id'] ?? 0).toBe(0)
    expect(queue.totals()).toMatchObject({ done: 3, failed: 0 })
    // The refused session start is no failure and no second prepare: each job went through
    // preparing once and straight on to completing.
    const kinds = events.flatMap((e) => ('job' in e ? [e.job.state.kind] : []))
    expect(kinds).not.toContain('failed')
    expect(kinds.filter((k) => k === 'preparing')).toHaveLength(3)
  })

  it('keeps using resumable sessions when the URL is signed for them', async () => {
    await signFor(world, 'POST')
    const f = await world.file('session.bin', 600 * KiB)
    const { queue } = world.queue()
    queue.enqueue([world.request(f, 'session.bin')])
    queue.start()
    await queue.drained()
    expect(await landed(world, [{ title: 'session.bin', sha256: f.sha256 }])).toEqual([
      { title: 'session.bin', count: 1, sameBytes: true },
    ])
    const stats = await world.stats()
    expect(stats.requests['PUT /storage/upload/:id'] ?? 0).toBe(0)
    expect(stats.requests['PUT /storage/session/:id']).toBeGreaterThan(0)
  })

  it('sends the whole file again after a reset or a lost answer, and lands it once', async () => {
    await signFor(world, 'PUT')
    const a = await world.file('reset.bin', 700 * KiB)
    const b = await world.file('lost.bin', 500 * KiB)
    await world.faults([
      { method: 'PUT', path: '/storage/upload', action: 'reset', after_bytes: 300 * KiB },
      { method: 'PUT', path: '/storage/upload', action: 'lose-response' },
    ])
    const { queue } = world.queue({ concurrency: 1 })
    queue.enqueue([world.request(a, 'reset.bin'), world.request(b, 'lost.bin')])
    queue.start()
    await queue.drained()
    const got = await landed(world, [
      { title: 'reset.bin', sha256: a.sha256 },
      { title: 'lost.bin', sha256: b.sha256 },
    ])
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
    const stats = await world.stats()
    expect(stats.requests['PUT /storage/upload/:id']).toBe(4)
    expect(stats.duplicates).toBe(0)
  })

  it('after a SIGKILL mid-PUT, the restarted queue sends the file again in one PUT', async () => {
    await signFor(world, 'PUT')
    const f = await world.file('killed-put.bin', 4 * 1024 * KiB)
    const dbFile = join(world.dir, 'child.db')
    const args = [
      world.sandbox.url,
      world.token,
      world.sandbox.org,
      world.board,
      dbFile,
      String(1024 * KiB),
      f.path,
    ]
    const env = { ...process.env, UPLOAD_MODE: 'stream' }
    const first = spawn(process.execPath, [child, ...args], { stdio: 'ignore', env })
    const received = async (): Promise<number> => (await world.stats()).bytes_received
    await expect.poll(received, { timeout: 20_000, interval: 20 }).toBeGreaterThan(1024 * KiB)
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    expect(await world.assets()).toEqual([])
    const starts = (await world.stats()).requests['POST /storage/upload/:id']
    expect(starts).toBe(1)
    const second = spawn(process.execPath, [child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    })
    let out = ''
    second.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise((resolve) => second.once('exit', resolve))
    expect(code).toBe(0)
    expect(out).toContain('drained')
    const stats = await world.stats()
    // The job remembered that its URL takes one PUT: no second session start.
    expect(stats.requests['POST /storage/upload/:id']).toBe(1)
    expect(stats.requests['PUT /storage/upload/:id']).toBe(2)
    expect(await landed(world, [{ title: 'killed-put.bin', sha256: f.sha256 }])).toEqual([
      { title: 'killed-put.bin', count: 1, sameBytes: true },
    ])
  })
})
