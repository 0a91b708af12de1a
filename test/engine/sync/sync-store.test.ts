import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createSyncStore } from '../../../src/engine/sync/sync-store.ts'
import type { FileRow, PairRow } from '../../../src/engine/sync/sync-store.ts'
import { defaultPairSettings } from '../../../src/shared/pair-models.ts'

const pair: PairRow = {
  id: 'p1',
  folder: '/photos',
  org: 'studio',
  board: 'B1',
  boardTitle: 'Shoot',
  settings: defaultPairSettings,
  paused: false,
  lastSyncAt: null,
  ignoredCount: 0,
  createdAt: 1,
}
const file = (relPath: string, patch: Partial<FileRow> = {}): FileRow => ({
  pairId: 'p1',
  relPath,
  size: 1,
  mtimeMs: 2.5,
  ino: 3,
  sha256: 'h-' + relPath,
  state: 'pending',
  jobId: 'job-' + relPath,
  assetToken: null,
  reason: null,
  deletedAt: null,
  updatedAt: 0,
  ...patch,
})

describe('sync store', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pbs-store-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('persists pairs and files across reopening, and migrates idempotently', () => {
    const path = join(dir, 'state.db')
    const db = openDatabase(path)
    const store = createSyncStore(db)
    store.insertPair(pair)
    store.putFile(file('a.jpg'))
    store.putFile(file('b.jpg', { jobId: 'job-a.jpg' }))
    db.close()

    const again = createSyncStore(openDatabase(path))
    expect(again.pairs()).toEqual([pair])
    expect(again.file('p1', 'a.jpg')).toEqual(file('a.jpg'))
    const done = again.setJobResult(
      'job-a.jpg',
      { state: 'synced', assetToken: 'AST', reason: null },
      9,
    )
    expect(done.map((row) => [row.relPath, row.state, row.assetToken])).toEqual([
      ['a.jpg', 'synced', 'AST'],
      ['b.jpg', 'synced', 'AST'],
    ])
    expect(again.counts('p1')).toEqual({ synced: 2, pending: 0, failed: 0, skipped: 0 })
  })

  it('keeps deleted rows for rename matching, moves rows and deletes a pair with its files', () => {
    const store = createSyncStore(openDatabase(':memory:'))
    store.insertPair(pair)
    store.putFile(file('old.jpg', { ino: 77, sha256: 'same' }))
    store.markDeleted('p1', 'old.jpg', 5)
    expect(store.liveFiles('p1')).toEqual([])
    expect(store.renameCandidates('p1', 'new.jpg', 77, null).map((row) => row.relPath)).toEqual([
      'old.jpg',
    ])
    expect(store.renameCandidates('p1', 'new.jpg', 1, 'same').map((row) => row.relPath)).toEqual([
      'old.jpg',
    ])
    store.moveFile('p1', 'old.jpg', 'new.jpg', { size: 1, mtimeMs: 2.5, ino: 77 }, 6)
    expect(store.file('p1', 'new.jpg')).toMatchObject({ deletedAt: null, jobId: 'job-old.jpg' })
    expect(store.file('p1', 'old.jpg')).toBeUndefined()
    store.deletePair('p1')
    expect(store.pairs()).toEqual([])
    expect(store.files('p1')).toEqual([])
  })
})
