/**
 * Exactly once when Playbook does the work and the answer is lost, against the sandbox whose
 * public records carry no signed_gcs_id (documented fields only).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createTransferQueue } from '../../../src/engine/transfer/queue.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

describe('lost answers', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  /** Uploads files through one queue with `rules` set, then checks each landed once. */
  async function uploadThrough(
    rules: readonly Record<string, unknown>[],
    sizes: readonly number[],
    prefix: string,
  ): Promise<void> {
    const files = await Promise.all(sizes.map((s, i) => world.file(`${prefix}-${i}.bin`, s)))
    const { queue } = world.queue({ completionGraceMs: 1500, chunkSize: 256 * 1024 })
    queue.enqueue(files.map((f, i) => world.request(f, `${prefix}-${i}.bin`)))
    await world.faults(rules)
    queue.start()
    await queue.drained()
    const want = files.map((f, i) => ({ title: `${prefix}-${i}.bin`, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    expect((await world.stats()).duplicates).toBe(0)
    expect(queue.totals()).toMatchObject({ done: sizes.length, failed: 0 })
  }

  it('upload_complete took effect but its answer was lost: one asset', async () => {
    await uploadThrough(
      [{ method: 'POST', path: '/v1/*/upload_complete', action: 'lose-response' }],
      [5000],
      'single',
    )
    // Resolved by listing the board, not by completing again.
    const stats = await world.stats()
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(1)
    expect(stats.requests['GET /v1/:org/boards/:token/assets']).toBeGreaterThanOrEqual(1)
  })

  it('batch_upload_complete took effect but its answer was lost: one asset per file', async () => {
    await uploadThrough(
      [{ method: 'POST', path: '/v1/*/batch_upload_complete', action: 'lose-response' }],
      [10, 2000, 300_000],
      'batch',
    )
    expect((await world.stats()).requests['POST /v1/:org/assets/batch_upload_complete']).toBe(1)
  })

  it('the final storage PUT took effect but its answer was lost: one asset', async () => {
    await uploadThrough(
      [
        { method: 'PUT', path: '/storage/session', action: 'lose-response', times: 2 },
        { method: 'PUT', path: '/storage/upload', action: 'lose-response', times: 2 },
      ],
      [1000, 600_000],
      'put',
    )
  })

  it('when the board cannot be listed, the job waits and looks again; it never completes blindly', async () => {
    const f = await world.file('unlisted.bin', 900)
    const { queue } = world.queue({ completionGraceMs: 1500, maxAttempts: 20 })
    // force: the already-on-the-board check lists the board too; this test is about completion.
    queue.enqueue([world.request(f, 'unlisted.bin', { force: true })])
    await world.faults([
      { method: 'POST', path: '/v1/*/upload_complete', action: 'lose-response' },
      { method: 'GET', path: '/v1/*/boards/*/assets', action: 'status', status: 403, times: 3 },
    ])
    queue.start()
    await queue.drained()
    const stats = await world.stats()
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(1)
    expect(stats.requests['GET /v1/:org/boards/:token/assets']).toBe(4)
    expect(await landed(world, [{ title: 'unlisted.bin', sha256: f.sha256 }])).toEqual([
      { title: 'unlisted.bin', count: 1, sameBytes: true },
    ])
  })

  it('a completion that never landed is sent again after the grace period', async () => {
    // `reset` drops the request before it takes effect: the listing finds nothing.
    await uploadThrough(
      [{ method: 'POST', path: '/v1/*/upload_complete', action: 'reset' }],
      [4000],
      'never',
    )
    expect((await world.stats()).requests['POST /v1/:org/assets/upload_complete']).toBe(2)
  })

  it('two files with the same name and size in one batch: each lands once', async () => {
    await mkdir(join(world.dir, 'a'))
    await mkdir(join(world.dir, 'b'))
    const a = await world.file('a/twin.bin', 3000)
    const b = await world.file('b/twin.bin', 3000)
    const c = await world.file('other.bin', 100)
    const { queue } = world.queue({ completionGraceMs: 1500 })
    queue.enqueue([
      world.request(a, 'twin.bin'),
      world.request(b, 'twin.bin'),
      world.request(c, 'other.bin'),
    ])
    await world.faults([
      { method: 'POST', path: '/v1/*/batch_upload_complete', action: 'lose-response' },
      { method: 'POST', path: '/v1/*/upload_complete', action: 'lose-response' },
    ])
    queue.start()
    await queue.drained()
    const twins = (await world.assets()).filter((x) => x.title === 'twin.bin')
    expect(twins.map((x) => x.sha256).sort()).toEqual([a.sha256, b.sha256].sort())
    expect((await world.stats()).duplicates).toBe(0)
    expect(queue.totals()).toMatchObject({ done: 3, failed: 0 })
  })

  it('same name and size, one refused inside a lost batch answer: never taken for the other', async () => {
    await mkdir(join(world.dir, 'p'))
    await mkdir(join(world.dir, 'q'))
    const a = await world.file('p/pair.bin', 3000)
    const b = await world.file('q/pair.bin', 3000)
    const c = await world.file('third.bin', 100)
    const { queue } = world.queue({ completionGraceMs: 1500 })
    const ids = queue.enqueue([
      world.request(a, 'pair.bin'),
      world.request(b, 'pair.bin'),
      world.request(c, 'third.bin'),
    ])
    let spoiled = false
    queue.subscribe((e) => {
      // The first completion of `a` names an object storage does not hold: Playbook refuses that
      // row (and creates nothing for it), while the answer telling so is lost.
      if (
        !spoiled &&
        e.type === 'job-changed' &&
        e.job.id === ids[0] &&
        e.job.state.kind === 'completing'
      ) {
        spoiled = true
        queue.store.patch(e.job.id, { signedGcsId: 'not-in-storage' })
      }
    })
    await world.faults([
      { method: 'POST', path: '/v1/*/batch_upload_complete', action: 'lose-response' },
    ])
    queue.start()
    await queue.drained()
    const pairs = (await world.assets()).filter((x) => x.title === 'pair.bin')
    expect(pairs.map((x) => x.sha256).sort()).toEqual([a.sha256, b.sha256].sort())
    expect((await world.stats()).duplicates).toBe(0)
    expect(queue.totals()).toMatchObject({ done: 3, failed: 0 })
  })

  it('two same-name files both unsure in different groups take turns instead of blocking each other', async () => {
    await mkdir(join(world.dir, 'm'))
    await mkdir(join(world.dir, 'n'))
    const a = await world.file('m/turns.bin', 1200)
    const b = await world.file('n/turns.bin', 1300)
    const { queue } = world.queue({ completionGraceMs: 500 })
    queue.subscribe((e) => {
      // As after a crash and a retry: both look sent earlier (unanswered), in separate groups.
      if (e.type === 'job-changed' && e.job.state.kind === 'completing' && e.job.attempts === 0) {
        const row = queue.store.get(e.job.id)
        if (row !== undefined && !row.requestSent)
          queue.store.patch(e.job.id, {
            requestSent: true,
            sentAt: 0,
            attemptAt: Date.now() - 1000,
            windowStart: Date.now() - 60_000,
            batchId: e.job.id,
          })
      }
    })
    queue.enqueue([world.request(a, 'turns.bin'), world.request(b, 'turns.bin')])
    queue.start()
    await queue.drained()
    expect(queue.totals()).toMatchObject({ done: 2, failed: 0 })
    const turns = (await world.assets()).filter((x) => x.title === 'turns.bin')
    expect(turns.map((x) => x.sha256).sort()).toEqual([a.sha256, b.sha256].sort())
  })

  it('an older asset with the same name and size is not taken for this upload', async () => {
    const older = await world.file('older.bin', 2048)
    const first = world.queue()
    first.queue.enqueue([world.request(older, 'logo.bin', { dedupeKey: 'older' })])
    first.queue.start()
    await first.queue.drained()
    // Later (server clock), another home uploads a different file with the same name and size,
    // and its completion is lost before it took effect.
    await world.admin('/__sandbox/clock', { advance_s: 600 })
    const newer = await world.file('newer.bin', 2048)
    const { queue } = world.queue({ completionGraceMs: 1500 })
    // force: upload even though the board holds a file with this name and size (that check is
    // covered in fresh-home.test.ts); here the completion must not take the older asset.
    queue.enqueue([world.request(newer, 'logo.bin', { dedupeKey: 'newer', force: true })])
    await world.faults([{ method: 'POST', path: '/v1/*/upload_complete', action: 'reset' }])
    queue.start()
    await queue.drained()
    const logos = (await world.assets()).filter((x) => x.title === 'logo.bin')
    expect(logos.map((x) => x.sha256).sort()).toEqual([older.sha256, newer.sha256].sort())
  })

  it('a server that answers completions late (after the usual timeout) is waited for', async () => {
    const files = await Promise.all([0, 1].map((i) => world.file(`late-${i}.bin`, 500 + i)))
    const one = await world.file('late-alone.bin', 700)
    // The transport's usual timeout is 1 s here; completions are answered after 2.5 s.
    const client = createPlaybookClient({
      baseUrl: world.sandbox.url,
      getToken: () => world.token,
      timeoutMs: 1000,
    })
    const db = openDatabase(':memory:')
    const queue = createTransferQueue({ db, client, random: () => 0.5, completionGraceMs: 1500 })
    await world.faults([
      { path: '/v1/*/assets/*upload_complete', action: 'hold', hold_ms: 2500, times: 0 },
    ])
    queue.enqueue(files.map((f, i) => world.request(f, `late-${i}.bin`)))
    queue.start()
    await queue.drained()
    queue.enqueue([world.request(one, 'late-alone.bin')])
    await queue.drained()
    const stats = await world.stats()
    expect(stats.requests['POST /v1/:org/assets/batch_upload_complete']).toBe(1)
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(1)
    // The board was listed once, before uploading (files already there); never to resolve a
    // completion, because no completion was given up on.
    expect(stats.requests['GET /v1/:org/boards/:token/assets']).toBe(1)
    expect(stats.duplicates).toBe(0)
    expect(queue.totals()).toMatchObject({ done: 3, failed: 0 })
    await queue.stop()
    await client.close()
    db.close()
  })

  it('shows what a job waits for while the board does not show its asset yet', async () => {
    const f = await world.file('wait.bin', 100)
    const { queue, events } = world.queue({ completionGraceMs: 1500 })
    queue.enqueue([world.request(f, 'wait.bin')])
    await world.faults([{ method: 'POST', path: '/v1/*/upload_complete', action: 'reset' }])
    queue.start()
    await queue.drained()
    const notes = events.flatMap((e) =>
      e.type === 'job-changed' && e.job.note !== undefined ? [e.job.note] : [],
    )
    expect(notes.some((n) => /answer was lost/.test(n))).toBe(true)
    expect(notes.some((n) => /waiting for it to finish/.test(n))).toBe(true)
  })
})
