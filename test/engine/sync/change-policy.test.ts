import { describe, expect, it } from 'vitest'
import {
  classifyChange,
  dedupeKeyFor,
  isUnchanged,
  renameByContent,
  renameByInode,
  uploadRequestFor,
} from '../../../src/engine/sync/change-policy.ts'
import type { FileRow } from '../../../src/engine/sync/sync-store.ts'
import { defaultPairSettings } from '../../../src/shared/pair-models.ts'

const row = (patch: Partial<FileRow> = {}): FileRow => ({
  pairId: 'p1',
  relPath: 'a/photo.jpg',
  size: 10,
  mtimeMs: 1000.5,
  ino: 42,
  sha256: 'aaa',
  state: 'synced',
  jobId: 'j1',
  assetToken: 'ast1',
  reason: null,
  deletedAt: null,
  updatedAt: 0,
  ...patch,
})
const settings = defaultPairSettings

describe('change policy', () => {
  it('needs no read when size, mtime and inode match a live row', () => {
    expect(isUnchanged(row(), { size: 10, mtimeMs: 1000.5, ino: 42 })).toBe(true)
    expect(isUnchanged(row(), { size: 10, mtimeMs: 2000, ino: 42 })).toBe(false)
    expect(isUnchanged(row(), { size: 10, mtimeMs: 1000.5, ino: 43 })).toBe(false)
    expect(isUnchanged(row({ deletedAt: 5 }), { size: 10, mtimeMs: 1000.5, ino: 42 })).toBe(false)
    expect(isUnchanged(undefined, { size: 10, mtimeMs: 1000.5, ino: 42 })).toBe(false)
  })

  it('classifies new, touched, changed, restored and moved files', () => {
    expect(
      classifyChange({ row: undefined, sha256: 'x', renamedFrom: undefined, settings }),
    ).toEqual({ kind: 'upload', reason: 'new' })
    expect(classifyChange({ row: row(), sha256: 'aaa', renamedFrom: undefined, settings })).toEqual(
      { kind: 'touched' },
    )
    // Changed bytes: a new version of the file's asset (the default) …
    expect(classifyChange({ row: row(), sha256: 'bbb', renamedFrom: undefined, settings })).toEqual(
      { kind: 'upload', reason: 'changed', versionOf: 'ast1' },
    )
    // … a new asset when the asset stands for other files too, or when the pair asks for one …
    expect(
      classifyChange({
        row: row(),
        sha256: 'bbb',
        renamedFrom: undefined,
        settings,
        assetShared: true,
      }),
    ).toEqual({ kind: 'upload', reason: 'changed' })
    expect(
      classifyChange({
        row: row(),
        sha256: 'bbb',
        renamedFrom: undefined,
        settings: { ...settings, onChange: 'new-asset' },
      }),
    ).toEqual({ kind: 'upload', reason: 'changed' })
    // … and a version still on its way keeps its asset, so the next save versions it too.
    expect(
      classifyChange({
        row: row({ state: 'pending' }),
        sha256: 'ccc',
        renamedFrom: undefined,
        settings,
      }),
    ).toEqual({ kind: 'upload', reason: 'changed', versionOf: 'ast1' })
    expect(
      classifyChange({
        row: row(),
        sha256: 'bbb',
        renamedFrom: undefined,
        settings: { ...settings, onChange: 'skip' },
      }),
    ).toEqual({ kind: 'skip-change' })
    expect(
      classifyChange({
        row: row({ deletedAt: 9 }),
        sha256: 'aaa',
        renamedFrom: undefined,
        settings,
      }),
    ).toEqual({ kind: 'restored' })
    const from = row({ relPath: 'old.jpg' })
    expect(classifyChange({ row: undefined, sha256: 'aaa', renamedFrom: from, settings })).toEqual({
      kind: 'moved',
      from,
    })
    expect(
      classifyChange({ row: row({ deletedAt: 9 }), sha256: 'zzz', renamedFrom: from, settings }),
    ).toEqual({ kind: 'moved', from })
  })

  it('finds a rename source only among rows whose file is gone', () => {
    const facts = { size: 10, mtimeMs: 1000.5, ino: 42 }
    const a = row({ relPath: 'a.jpg' })
    const b = row({ relPath: 'b.jpg', ino: 7, mtimeMs: 1 })
    expect(renameByInode([a, b], facts, () => false)).toBeUndefined()
    expect(renameByInode([a, b], facts, (r) => r.relPath === 'a.jpg')).toBe(a)
    expect(renameByInode([b], facts, () => true)).toBeUndefined()
    expect(renameByContent([a, b], 'aaa', (r) => r.relPath === 'b.jpg')).toBe(b)
    expect(renameByContent([a, b], 'ccc', () => true)).toBeUndefined()
  })

  it('builds dedupe keys that are stable across restarts and follow the dedupe setting', () => {
    const dedupe = { ...settings, dedupeContent: true }
    expect(dedupeKeyFor('p1', 'a/x.jpg', 'abc', dedupe)).toBe(
      dedupeKeyFor('p1', 'b/y.jpg', 'abc', dedupe),
    )
    const noDedupe = { ...settings, dedupeContent: false }
    expect(dedupeKeyFor('p1', 'a/x.jpg', 'abc', noDedupe)).not.toBe(
      dedupeKeyFor('p1', 'b/y.jpg', 'abc', noDedupe),
    )
    expect(dedupeKeyFor('p1', 'a/x.jpg', 'abc', noDedupe)).toBe(
      dedupeKeyFor('p1', 'a/x.jpg', 'abc', noDedupe),
    )
    expect(dedupeKeyFor('p1', 'a/x.jpg', 'abc', settings)).not.toBe(
      dedupeKeyFor('p2', 'a/x.jpg', 'abc', settings),
    )
  })

  it('titles an upload with the file name and describes it with the relative path (setting)', () => {
    const pair = { id: 'p1', org: 'studio', board: 'B1', settings }
    const file = {
      relPath: 'shoots/day 1/photo.jpg',
      absPath: '/x/shoots/day 1/photo.jpg',
      facts: { size: 3, mtimeMs: 5, ino: 1 },
      sha256: 'abc',
    }
    const request = uploadRequestFor(pair, file)
    expect(request).toMatchObject({
      title: 'photo.jpg',
      description: 'shoots/day 1/photo.jpg',
      org: 'studio',
      board: 'B1',
      source: {
        kind: 'file',
        path: '/x/shoots/day 1/photo.jpg',
        size: 3,
        mtimeMs: 5,
        sha256: 'abc',
      },
      origin: { pairId: 'p1', relPath: 'shoots/day 1/photo.jpg' },
    })
    const bare = uploadRequestFor(
      { ...pair, settings: { ...settings, describeWithPath: false } },
      file,
    )
    expect(bare.description).toBeUndefined()
  })
})
