/**
 * The state database: one SQLite file (node:sqlite, WAL) shared by the queue and the sync index.
 * Each module creates and migrates its own tables on the handle it is given.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

/**
 * Opens (creating if needed) the state database with crash-safe settings. ':memory:' for tests.
 * It holds signed URLs, upload session URLs and local paths: the file and its WAL and shared
 * memory files are the owner's only (0600), also when an older version left them readable.
 */
export function openDatabase(file: string): DatabaseSync {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    closeSync(openSync(file, 'a', 0o600))
    chmodSync(file, 0o600)
  }
  const db = new DatabaseSync(file)
  db.exec('PRAGMA journal_mode = WAL')
  if (file !== ':memory:')
    for (const extra of [`${file}-wal`, `${file}-shm`])
      if (existsSync(extra)) chmodSync(extra, 0o600)
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec('PRAGMA foreign_keys = ON')
  return db
}

/**
 * Brings one module's tables up to date: `schemaTable` holds how many of `migrations` ran; the
 * rest run in order, in one transaction with the new count. Each module owns its list (append
 * only) and its own schema table, so modules migrate independently on the shared database.
 */
export function migrate(
  db: DatabaseSync,
  schemaTable: string,
  migrations: readonly string[],
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${schemaTable} (version INTEGER NOT NULL)`)
  transaction(db, () => {
    const row = db.prepare(`SELECT version FROM ${schemaTable}`).get() as
      { version: number } | undefined
    const current = row?.version ?? 0
    for (let i = current; i < migrations.length; i++) db.exec(migrations[i] as string)
    const version = Math.max(current, migrations.length)
    if (row === undefined)
      db.prepare(`INSERT INTO ${schemaTable} (version) VALUES (?)`).run(version)
    else db.prepare(`UPDATE ${schemaTable} SET version = ?`).run(version)
  })
}

/** Runs `fn` in one transaction: all of it is written, or none of it. */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    db.exec('COMMIT')
    return result
  } catch (e) {
    // SQLite may have rolled back already (a full disk does): the original error is what matters.
    if (db.isTransaction) db.exec('ROLLBACK')
    throw e
  }
}
