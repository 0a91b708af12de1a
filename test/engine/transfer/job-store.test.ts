import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/engine/store/database.ts'
import {
  canTransition,
  clearedUpload,
  createJobStore,
  toSnapshot,
} from '../../../src/engine/transfer/job-store.ts'
import type { UploadRequest } from '../../../src/engine/transfer/types.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const file = (key: string, extra: Partial<UploadRequest> = {}): UploadRequest => ({
  dedupeKey: key,
  source: { kind: 'file', path: `/tmp/${key}.png`, size: 1234, mtimeMs: 5 },
  org: 'acme',
  board: 'b1',
  title: `${key}.png`,
  ...extra,
})

describe('job store', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('job-store-')
  })

  it('persists jobs across reopen, with media type and origin', () => {
    const dbFile = join(dir, 'state.db')
    let db = openDatabase(dbFile)
    const { ids } = createJobStore(db).enqueue([
      file('a', { origin: { pairId: 'p1', relPath: 'x/a.png' } }),
    ])
    db.close()
    db = openDatabase(dbFile)
    const row = createJobStore(db).get(ids[0] ?? '')
    expect(row).toMatchObject({
      state: 'queued',
      mediaType: 'image/png',
      size: 1234,
      pairId: 'p1',
      relPath: 'x/a.png',
      paused: false,
    })
    db.close()
  })

  it('reads many jobs at once, in-flight and stored alike, leaving unknown ids out', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const keys = Array.from({ length: 1205 }, (_, i) => `k${i}`)
    const { ids } = store.enqueue(keys.map((k) => file(k)))
    store.transition(ids[0] ?? '', 'preparing')
    const wanted = [...ids, 'no-such-job']
    const found = store.getMany(wanted)
    expect(found.size).toBe(1205)
    expect(found.has('no-such-job')).toBe(false)
    expect(found.get(ids[0] ?? '')?.state).toBe('preparing')
    expect(found.get(ids[1204] ?? '')?.title).toBe('k1204.png')
    db.close()
  })

  it('dedupes by key except for cancelled jobs', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const first = store.enqueue([file('a'), file('b')])
    expect(first.added).toHaveLength(2)
    const again = store.enqueue([file('a')])
    expect(again).toEqual({ ids: [first.ids[0]], added: [], revived: [] })
    store.transition(first.ids[0] ?? '', 'cancelled')
    const fresh = store.enqueue([file('a')])
    expect(fresh.added).toHaveLength(1)
    expect(fresh.ids[0]).not.toBe(first.ids[0])
    db.close()
  })

  it('revives a failed job asked for again, under the path the request names now', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const [id] = store.enqueue([file('m', { origin: { pairId: 'p', relPath: 'old/m.png' } })]).ids
    const jobId = id ?? ''
    store.transition(jobId, 'preparing')
    store.transition(jobId, 'uploading', { sessionUrl: 'http://s/1', sentEnd: 9, sentSha256: 'x' })
    store.transition(jobId, 'failed', { failReason: 'vanished', retryable: true, attempts: 3 })
    const moved = file('m', {
      source: { kind: 'file', path: '/tmp/new/m.png', size: 1234, mtimeMs: 6, sha256: 'abc' },
      origin: { pairId: 'p', relPath: 'new/m.png' },
    })
    const again = store.enqueue([moved])
    expect(again).toEqual({ ids: [jobId], added: [], revived: [jobId] })
    expect(store.get(jobId)).toMatchObject({
      state: 'queued',
      path: '/tmp/new/m.png',
      relPath: 'new/m.png',
      mtimeMs: 6,
      expectedSha256: 'abc',
      attempts: 0,
      failReason: null,
      sessionUrl: null,
      sentEnd: 0,
      sentSha256: null,
    })
    db.close()
  })

  it('rejects bad requests naming the field, and writes nothing', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    expect(() => store.enqueue([file('ok'), file('bad', { board: '' })])).toThrow(
      /bad\.png.*board is empty/,
    )
    expect(() =>
      store.enqueue([file('neg', { source: { kind: 'file', path: '/x', size: -1, mtimeMs: 0 } })]),
    ).toThrow(/source\.size/)
    expect(() =>
      store.enqueue([{ ...file('u'), source: { kind: 'url', uri: 'ftp://x', asLink: false } }]),
    ).toThrow(/source\.uri/)
    expect(store.all()).toEqual([])
    db.close()
  })

  it('walks the happy path and refuses illegal transitions', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const id = store.enqueue([file('a')]).ids[0] ?? ''
    store.transition(id, 'preparing')
    store.transition(id, 'uploading', { uploadUrl: 'http://x/u', signedGcsId: 'g1' })
    store.patch(id, { sessionUrl: 'http://x/s', confirmedBytes: 512 })
    expect(toSnapshot(store.get(id)!).state).toEqual({ kind: 'uploading', confirmedBytes: 512 })
    store.transition(id, 'completing', { sha256: 'abc' })
    const done = store.transition(id, 'done', { assetToken: 'tok' })
    expect(toSnapshot(done)).toMatchObject({
      state: { kind: 'done', assetToken: 'tok' },
      bytesDone: 1234,
      bytesTotal: 1234,
    })
    expect(() => store.transition(id, 'uploading')).toThrow(/illegal transition done → uploading/)
    expect(canTransition('queued', 'completing')).toBe(false)
    expect(canTransition('failed', 'completing')).toBe(true)
    expect(canTransition('cancelled', 'queued')).toBe(false)
    db.close()
  })

  it('clears upload fields for a fresh prepare and counts per state', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const [a, b] = store.enqueue([file('a'), file('b')]).ids
    store.transition(a ?? '', 'preparing')
    store.transition(a ?? '', 'uploading', {
      uploadUrl: 'u',
      signedGcsId: 'g',
      sessionUrl: 's',
      confirmedBytes: 100,
    })
    const reset = store.transition(a ?? '', 'queued', clearedUpload)
    expect(reset).toMatchObject({
      uploadUrl: null,
      signedGcsId: null,
      sessionUrl: null,
      confirmedBytes: 0,
    })
    store.patch(b ?? '', { paused: true })
    expect(store.countRunnable()).toBe(1)
    expect(store.counts().get('queued')).toEqual({ count: 2, bytes: 2468, confirmed: 0 })
    expect(store.inStates(['queued']).map((r) => r.id)).toEqual([a, b])
    db.close()
  })

  it('keeps its in-memory view of hot jobs and totals equal to the database, even after a rollback', () => {
    const dbFile = join(dir, 'mirror.db')
    const db = openDatabase(dbFile)
    const store = createJobStore(db)
    const ids = store.enqueue([file('a'), file('b'), file('c', { priority: 5 }), file('d')]).ids
    const [a = '', b = '', c = '', d = ''] = ids
    store.atomically(() => [a, b, c].forEach((id) => store.transition(id, 'preparing')))
    store.transition(a, 'uploading', { uploadUrl: 'u', signedGcsId: 'g' })
    store.transition(c, 'uploading', { uploadUrl: 'u', signedGcsId: 'g2' })
    store.patch(a, { confirmedBytes: 700, paused: true })
    store.transition(b, 'queued')
    // A transaction that fails half-way leaves neither the database nor the view changed.
    expect(() =>
      store.atomically(() => {
        store.transition(c, 'completing', { sha256: 'x' })
        store.transition(d, 'done')
      }),
    ).toThrow(/illegal transition queued → done/)
    expect(store.get(c)?.state).toBe('uploading')

    const freshDb = openDatabase(dbFile)
    const fresh = createJobStore(freshDb)
    const hotStates = ['preparing', 'uploading', 'completing', 'ingesting'] as const
    expect(store.inStates(hotStates).map((r) => r.id)).toEqual([c, a])
    expect(store.inStates(hotStates)).toEqual(fresh.inStates(hotStates))
    expect(store.inStates(['uploading'], { unpaused: true }).map((r) => r.id)).toEqual([c])
    for (const id of ids) expect(store.get(id ?? '')).toEqual(fresh.get(id ?? ''))
    expect([...store.counts()].sort()).toEqual([...fresh.counts()].sort())
    expect(store.counts().get('uploading')).toEqual({ count: 2, bytes: 2468, confirmed: 700 })
    expect(store.countRunnable()).toBe(3)
    expect(fresh.countRunnable()).toBe(3)
    expect(store.queuedTop('file')).toBe(0)
    expect(fresh.queuedTop('file')).toBe(0)
    freshDb.close()
    db.close()
  })

  it('hands out queued jobs in scheduling order, skipping paused, delayed and solo ones', () => {
    const db = openDatabase(':memory:')
    const store = createJobStore(db)
    const ids = store.enqueue([
      file('a'),
      file('b', { priority: 10 }),
      file('c'),
      file('d', { org: 'other' }),
      file('e'),
      file('f'),
    ]).ids
    const [a = '', b = '', c = '', d = '', e = '', f = ''] = ids
    store.patch(c, { paused: true })
    store.patch(e, { notBefore: 5000 })
    store.patch(f, { solo: true })
    expect(store.nextQueued('file', 1000).map((r) => r.id)).toEqual([b])
    expect(store.nextQueued('url', 1000)).toEqual([])
    const group = store.nextQueued('file', 1000, { org: 'acme', notSolo: true, limit: 100 })
    expect(group.map((r) => r.id)).toEqual([b, a])
    expect(store.nextQueued('file', 6000, { limit: 100 }).map((r) => r.id)).toEqual([b, a, d, e, f])
    expect(store.queuedTop('file')).toBe(10)
    expect(store.queuedTop('url')).toBeUndefined()
    store.transition(b, 'preparing')
    expect(store.queuedTop('file')).toBe(0)
    expect(store.nextQueuedWake(1000)).toBe(5000)
    expect(store.nextQueuedWake(5000)).toBeUndefined()
    db.close()
  })
})
