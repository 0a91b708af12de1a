import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase, transaction } from '../../../src/engine/store/database.ts'

describe('state database', () => {
  it('opens in WAL mode, creating folders, and rolls back a failed transaction', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'db-'))
    try {
      const db = openDatabase(join(dir, 'nested', 'state.db'))
      expect(
        (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode,
      ).toBe('wal')
      db.exec('CREATE TABLE t (v INTEGER)')
      expect(() =>
        transaction(db, () => {
          db.prepare('INSERT INTO t VALUES (1)').run()
          throw new Error('boom')
        }),
      ).toThrow('boom')
      transaction(db, () => db.prepare('INSERT INTO t VALUES (2)').run())
      expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 2 }])
      db.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
