import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase, transaction } from '../../../src/engine/store/database.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('state database', () => {
  const tempFolder = tempFolders()
  it('opens in WAL mode, creating folders, and rolls back a failed transaction', async () => {
    const dir = await tempFolder('db-')
    const db = openDatabase(join(dir, 'nested', 'state.db'))
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe(
      'wal',
    )
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
  })
})
