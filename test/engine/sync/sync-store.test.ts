import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createSyncStore } from '../../../src/engine/sync/sync-store.ts'
import type { FileRow, PairRow } from '../../../src/engine/sync/sync-store.ts'
import { defaultPairSettings } from '../../../src/shared/pair-models.ts'
import { tempFolders } from '../../support/temp-folders.ts'

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
  const tempFolder = tempFolders()
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('pbs-store-')
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
    // Two files, one asset: the second is counted as the same content, not as a second upload.
    expect(again.counts('p1')).toEqual({
      synced: 2,
      pending: 0,
      failed: 0,
      skipped: 0,
      unreadable: 0,
      cancelled: 0,
      sameContent: 1,
    })
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
  it('looks up many paths at once (deleted rows too) and lists live paths only', () => {
    const store = createSyncStore(openDatabase(':memory:'))
    store.insertPair(pair)
    store.insertPair({ ...pair, id: 'p2', folder: '/other' })
    const paths = Array.from({ length: 600 }, (_, i) => `dir/f${i}.jpg`)
    store.atomically(() => paths.forEach((relPath) => store.putFile(file(relPath))))
    store.putFile({ ...file('dir/f0.jpg'), pairId: 'p2', sha256: 'other pair' })
    store.markDeleted('p1', 'dir/f1.jpg', 5)

    const asked = [...paths.slice(0, 3), 'missing.jpg', ...paths.slice(300)]
    const found = store.filesAt('p1', asked)
    expect(found.size).toBe(303)
    expect(found.get('dir/f0.jpg')).toEqual(file('dir/f0.jpg'))
    expect(found.get('dir/f1.jpg')?.deletedAt).toBe(5)
    expect(found.has('missing.jpg')).toBe(false)
    expect(found.has('dir/f3.jpg')).toBe(false)
    for (const count of [1, 2, 5, 17, 250, 251]) {
      expect(store.filesAt('p1', paths.slice(0, count)).size).toBe(count)
    }
    expect(store.filesAt('p1', []).size).toBe(0)

    const live = store.livePaths('p1')
    expect(live).toHaveLength(599)
    expect(live).not.toContain('dir/f1.jpg')
    expect(store.livePaths('p2')).toEqual(['dir/f0.jpg'])
  })
})
