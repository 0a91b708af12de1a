/**
 * The Backblaze storage provider (assumed shapes, docs/storage-providers.md) against the sandbox
 * offering it: small files as one PUT, large ones as parts with `multipart_upload_id` at
 * completion, a SIGKILLed uploader that re-sends only the parts storage lacks, a file rewritten
 * in place between parts that never lands as a mix, and an unknown provider as a clear failure.
 */
import { spawn } from 'node:child_process'
import { open, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHttp } from '../../../src/engine/playbook/http.ts'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { uploadBackblaze } from '../../../src/engine/transfer/backblaze-upload.ts'
import type { BackblazePlan } from '../../../src/engine/transfer/backblaze-upload.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const KiB = 1024
const child = join(import.meta.dirname, 'fixtures', 'upload-child.ts')

async function useBackblaze(world: World, partSize: number): Promise<void> {
  await world.admin('/__sandbox/storage', { provider: 'backblaze', part_size: partSize })
}

describe('Backblaze storage provider', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('sends small files as one PUT and large ones as parts, each landing once', async () => {
    await useBackblaze(world, 256 * KiB)
    const small = await Promise.all([0, 1, 2].map((i) => world.file(`b2-${i}.txt`, 1000 + i)))
    const large = await world.file('b2-large.bin', 900 * KiB + 17)
    const { queue } = world.queue()
    queue.enqueue([
      ...small.map((f, i) => world.request(f, `b2-${i}.txt`)),
      world.request(large, 'b2-large.bin'),
    ])
    queue.start()
    await queue.drained()
    const got = await landed(world, [
      ...small.map((f, i) => ({ title: `b2-${i}.txt`, sha256: f.sha256 })),
      { title: 'b2-large.bin', sha256: large.sha256 },
    ])
    expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
    const stats = await world.stats()
    expect(stats.requests['PUT /storage/parts/:id/:n']).toBe(4)
    expect(stats.requests['PUT /storage/upload/:id']).toBe(3)
    expect(stats.requests['POST /storage/upload/:id'] ?? 0).toBe(0)
    expect(queue.totals()).toMatchObject({ done: 4, failed: 0 })
  })

  it('refuses a multipart completion without its multipart_upload_id', async () => {
    await useBackblaze(world, 256 * KiB)
    const f = await world.file('needs-id.bin', 300 * KiB)
    const client = world.client()
    const prep = (await client.uploadPrepare(
      world.sandbox.org,
      { title: 'needs-id.bin', media_type: 'application/octet-stream', size: f.size },
      undefined,
    )) as Record<string, unknown>
    expect(prep).toMatchObject({ storage_provider: 'backblaze', part_size: 256 * KiB })
    expect((prep.parts as unknown[]).length).toBe(2)
    const { sha256 } = await uploadBackblaze({
      http: client.http,
      plan: {
        kind: 'multipart',
        uploadId: prep.multipart_upload_id as string,
        partSize: 256 * KiB,
        parts: (prep.parts as { part_number: number; url: string }[]).map((p) => ({
          n: p.part_number,
          url: p.url,
        })),
      },
      uploadUrl: null,
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      mediaType: 'application/octet-stream',
      expectedSha256: f.sha256,
    })
    expect(sha256).toBe(f.sha256)
    const row = {
      signed_gcs_id: prep.signed_gcs_id as string,
      title: 'needs-id.bin',
      media_type: 'application/octet-stream',
      size: f.size,
      collection_token: world.board,
    }
    await expect(client.uploadComplete(world.sandbox.org, row)).rejects.toThrow(
      /multipart_upload_id/,
    )
    const asset = await client.uploadComplete(world.sandbox.org, {
      ...row,
      multipart_upload_id: prep.multipart_upload_id as string,
    })
    expect((await world.assets()).find((a) => a.token === asset.token)?.sha256).toBe(f.sha256)
  })

  it('never lands a mix when the file is rewritten in place between parts', async () => {
    await useBackblaze(world, 256 * KiB)
    const f = await world.file('rewritten.bin', 600 * KiB)
    const client = world.client()
    const prep = (await client.uploadPrepare(
      world.sandbox.org,
      { title: 'rewritten.bin', media_type: 'application/octet-stream', size: f.size },
      undefined,
    )) as Record<string, unknown>
    const plan: BackblazePlan = {
      kind: 'multipart',
      uploadId: prep.multipart_upload_id as string,
      partSize: 256 * KiB,
      parts: (prep.parts as { part_number: number; url: string }[]).map((p) => ({
        n: p.part_number,
        url: p.url,
      })),
    }
    let rewritten = false
    // After the first part is stored, part 1's bytes change on disk; size and mtime are restored.
    const http = {
      ...client.http,
      async send(req: Parameters<typeof client.http.send>[0]) {
        const res = await client.http.send(req)
        if (!rewritten && req.method === 'PUT') {
          rewritten = true
          const h = await open(f.path, 'r+')
          await h.write(Buffer.alloc(4096, 7), 0, 4096, 10)
          await h.close()
          await utimes(f.path, new Date(f.mtimeMs), new Date(f.mtimeMs))
        }
        return res
      },
    }
    const input = {
      http,
      plan,
      uploadUrl: null,
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      mediaType: 'application/octet-stream',
    }
    // With the decided content given, the rewrite is a changed source: nothing is completed.
    await expect(uploadBackblaze({ ...input, expectedSha256: f.sha256 })).rejects.toThrow(
      /content differs/,
    )
    // Without one, the stale part is sent again and what storage holds is the file as it is now.
    const { sha256 } = await uploadBackblaze({ ...input, expectedSha256: null })
    expect(sha256).not.toBe(f.sha256)
    const asset = await client.uploadComplete(world.sandbox.org, {
      signed_gcs_id: prep.signed_gcs_id as string,
      title: 'rewritten.bin',
      media_type: 'application/octet-stream',
      size: f.size,
      collection_token: world.board,
      multipart_upload_id: plan.uploadId,
    })
    expect((await world.assets()).find((a) => a.token === asset.token)?.sha256).toBe(sha256)
  })

  it('after a SIGKILL between parts, re-sends only the parts storage lacks', async () => {
    await useBackblaze(world, 256 * KiB)
    const f = await world.file('killed.bin', 8 * 256 * KiB)
    const dbFile = join(world.dir, 'child.db')
    const args = [
      world.sandbox.url,
      world.token,
      world.sandbox.org,
      world.board,
      dbFile,
      String(512 * KiB),
      f.path,
    ]
    // First run: killed as soon as at least 3 parts are recorded as stored.
    const first = spawn(process.execPath, [child, ...args], { stdio: 'ignore' })
    const partsStored = (): number => {
      const db = openDatabase(dbFile)
      try {
        const row = db.prepare('SELECT provider_plan FROM transfer_jobs').get() as
          { provider_plan: string | null } | undefined
        if (!row?.provider_plan) return 0
        const plan = JSON.parse(row.provider_plan) as { parts: { sha256?: string }[] }
        return plan.parts.filter((p) => p.sha256 !== undefined).length
      } catch {
        return 0
      } finally {
        db.close()
      }
    }
    await expect.poll(partsStored, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(3)
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    const stored = partsStored()
    expect(stored).toBeLessThan(8)
    const before = (await world.stats()).requests['PUT /storage/parts/:id/:n'] ?? 0
    // Second run: to the end.
    const second = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    second.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise((resolve) => second.once('exit', resolve))
    expect(code).toBe(0)
    expect(out).toContain('drained')
    const after = (await world.stats()).requests['PUT /storage/parts/:id/:n'] ?? 0
    expect(after - before).toBe(8 - stored)
    const got = await landed(world, [{ title: 'killed.bin', sha256: f.sha256 }])
    expect(got).toEqual([{ title: 'killed.bin', count: 1, sameBytes: true }])
  })

  it('fails a file whose prepare names an unknown provider, in words, and goes on', async () => {
    const inner = createHttp()
    // A server that answers prepare with a provider this version does not know.
    const http: Http = {
      async send(req) {
        const res = await inner.send(req)
        return req.url.includes('upload_prepare')
          ? {
              ...res,
              text: res.text.replaceAll('"storage_provider":"gcs"', '"storage_provider":"azure"'),
            }
          : res
      },
      close: () => inner.close(),
    }
    const client = createPlaybookClient({
      baseUrl: world.sandbox.url,
      getToken: () => world.token,
      http,
    })
    const f = await world.file('elsewhere.bin', 5000)
    const { queue } = world.queue({ client })
    const [id] = queue.enqueue([world.request(f, 'elsewhere.bin')])
    queue.start()
    await queue.drained()
    const job = queue.job(id ?? '')
    expect(job?.state).toMatchObject({ kind: 'failed' })
    expect(JSON.stringify(job?.state)).toContain('storage provider \\"azure\\"')
    expect(await world.assets()).toEqual([])
    await client.close()
  })
})
