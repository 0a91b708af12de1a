import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createJobStore } from '../../../src/engine/transfer/job-store.ts'
import { createTransferQueue } from '../../../src/engine/transfer/queue.ts'
import { recoverInterrupted } from '../../../src/engine/transfer/queue-recovery.ts'
import type { QueueEvent } from '../../../src/engine/transfer/types.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('recovery', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('a completion whose answer was lost is looked up on restart, never completed twice', async () => {
    const f = await world.file('cut.bin', 50_000)
    const dbFile = join(world.dir, 'cut.db')
    // Hold the completion long enough to stop the queue while it is in flight.
    await world.faults([
      { method: 'POST', path: '/v1/*/upload_complete', action: 'delay', delay_ms: 1500 },
    ])
    const first = world.queue({ dbFile })
    const [id] = first.queue.enqueue([world.request(f, 'cut.bin')])
    first.queue.start()
    await new Promise<void>((resolve) => {
      const off = first.queue.subscribe((e) => {
        if (e.type === 'job-changed' && e.job.state.kind === 'completing') {
          off()
          resolve()
        }
      })
    })
    await new Promise((r) => setTimeout(r, 300))
    await first.queue.stop()
    const row = first.queue.store.get(id ?? '')
    expect(row).toMatchObject({ state: 'completing', requestSent: true })
    // The server did create the asset; only the answer never arrived (as after a timeout or reset).
    await world.client().uploadComplete(world.sandbox.org, {
      signed_gcs_id: row?.signedGcsId ?? '',
      title: 'cut.bin',
      media_type: row?.mediaType ?? '',
      size: f.size,
      collection_token: world.board,
    })

    const second = world.queue({ dbFile })
    second.queue.start()
    await second.queue.drained()
    expect(second.queue.job(id ?? '')?.state.kind).toBe('done')
    expect(await landed(world, [{ title: 'cut.bin', sha256: f.sha256 }])).toEqual([
      { title: 'cut.bin', count: 1, sameBytes: true },
    ])
    await new Promise((r) => setTimeout(r, 1500))
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    // The aborted request and the simulated one; the restarted queue sent none.
    expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(2)
  })
})

describe('offline', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('offline-')
  })

  it('backs off while Playbook is unreachable and resumes by itself', async () => {
    const dataDir = join(dir, 'sandbox')
    let sandbox = await startSandbox({ dataDir })
    const port = Number(new URL(sandbox.url).port)
    const probe = await startWorldFile(dir)
    const db = openDatabase(join(dir, 'state.db'))
    const client = createPlaybookClient({ baseUrl: sandbox.url, getToken: () => sandbox.token })
    const queue = createTransferQueue({
      db,
      client,
      chunkSize: 256 * 1024,
      bwlimit: 400 * 1024,
      random: () => 0.5,
    })
    const events: QueueEvent[] = []
    queue.subscribe((e) => events.push(e))
    try {
      queue.enqueue([
        {
          dedupeKey: probe.path,
          source: { kind: 'file', path: probe.path, size: probe.size, mtimeMs: probe.mtimeMs },
          org: sandbox.org,
          board: sandbox.boards[0]?.token ?? '',
          title: 'offline.bin',
        },
      ])
      queue.start()
      await new Promise<void>((resolve) => {
        const off = queue.subscribe((e) => {
          if (e.type === 'job-progress' && e.job.bytesDone > 0) {
            off()
            resolve()
          }
        })
      })
      await sandbox.close()
      await new Promise<void>((resolve) => {
        const off = queue.subscribe((e) => {
          if (e.type === 'offline') {
            off()
            resolve()
          }
        })
      })
      sandbox = await startSandbox({ dataDir, port })
      await queue.drained()
      expect(events.some((e) => e.type === 'online')).toBe(true)
      const assets = (await (await fetch(`${sandbox.url}/__sandbox/assets`)).json()) as {
        data: { title: string; sha256: string }[]
      }
      expect(assets.data.filter((a) => a.title === 'offline.bin').map((a) => a.sha256)).toEqual([
        probe.sha256,
      ])
    } finally {
      await queue.stop()
      await client.close()
      db.close()
      await sandbox.close()
    }
  })
})

describe('recovering steps an earlier run left', () => {
  it('sends back to queued only what created nothing: a prepare, a URL create with no asset', () => {
    const store = createJobStore(openDatabase(':memory:'))
    const base = { org: 'acme', board: 'b1' }
    const url = (key: string) => ({
      ...base,
      dedupeKey: key,
      title: key,
      source: { kind: 'url' as const, uri: `https://example.com/${key}.png`, asLink: false },
    })
    const file = (key: string) => ({
      ...base,
      dedupeKey: key,
      title: `${key}.bin`,
      source: { kind: 'file' as const, path: `/in/${key}.bin`, size: 10, mtimeMs: 1 },
    })
    const [preparing, uploading, unsent, created] = store.enqueue([
      file('preparing'),
      file('uploading'),
      url('unsent'),
      url('created'),
    ]).ids as [string, string, string, string]
    store.transition(preparing, 'preparing')
    store.transition(uploading, 'preparing')
    store.transition(uploading, 'uploading')
    store.transition(unsent, 'ingesting')
    store.transition(created, 'ingesting', { assetToken: 'asset-1' })

    const changed = recoverInterrupted(store)

    expect(changed.map((r) => r.id).sort()).toEqual([preparing, unsent].sort())
    expect(store.get(preparing)?.state).toBe('queued')
    expect(store.get(unsent)?.state).toBe('queued')
    // An upload resumes from its session; a created asset's ingest is polled, never made again.
    expect(store.get(uploading)?.state).toBe('uploading')
    expect(store.get(created)).toMatchObject({ state: 'ingesting', assetToken: 'asset-1' })
    expect(recoverInterrupted(store)).toEqual([])
  })
})

async function startWorldFile(
  dir: string,
): Promise<{ path: string; size: number; mtimeMs: number; sha256: string }> {
  const { createHash, randomBytes } = await import('node:crypto')
  const { stat, writeFile } = await import('node:fs/promises')
  const bytes = randomBytes(1_200_000)
  const path = join(dir, 'offline.bin')
  await writeFile(path, bytes)
  const st = await stat(path)
  return {
    path,
    size: bytes.length,
    mtimeMs: st.mtimeMs,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }
}
