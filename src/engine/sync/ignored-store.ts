/**
 * What each pair's last scan skipped on purpose and why: one row per ignored file or folder with
 * the rule that matched. Kept in the state database (its own table, made if missing), so the CLI's
 * `status --issues` and the app list the same reasons without walking the folder again. Also
 * answers which synced files share their upload with another file (same content).
 */
import type { DatabaseSync } from 'node:sqlite'
import { transaction } from '../store/database.ts'
import type { IgnoreReason } from './ignore-rules.ts'

/** One ignored entry as stored. */
export interface IgnoredRow {
  readonly relPath: string
  readonly isFolder: boolean
  readonly reason: IgnoreReason
  readonly pattern: string | null
  /** For `.playbookignore` rules: the folder whose ignore file holds the rule. */
  readonly where: string | null
  readonly updatedAt: number
}

/** A synced file whose upload is another file's (same bytes, one asset). */
export interface SameContentRow {
  readonly relPath: string
  /** The first path (by name) of the files sharing the job: the one on the board as itself. */
  readonly sameAs: string
  readonly assetToken: string | null
  readonly updatedAt: number
}

/** The skipped-files repository. */
export interface IgnoredStore {
  /** Replaces a pair's ignored entries with what its latest scan found. */
  replace(pairId: string, rows: readonly IgnoredRow[]): void
  ignored(pairId: string): readonly IgnoredRow[]
  /** Synced files of a pair that are not the first of their job (same content as another). */
  sameContent(pairId: string): readonly SameContentRow[]
  /** Live files in state `skipped` (changed while the pair skips changes). */
  skippedChanges(pairId: string): readonly { relPath: string; updatedAt: number }[]
  /** Forgets a pair's entries (the pair was removed). */
  forget(pairId: string): void
}

/** Opens the store on the state database (creating its table when missing). */
export function createIgnoredStore(db: DatabaseSync): IgnoredStore {
  db.exec(`CREATE TABLE IF NOT EXISTS sync_ignored (
     pair_id TEXT NOT NULL,
     rel_path TEXT NOT NULL,
     is_dir INTEGER NOT NULL,
     reason TEXT NOT NULL,
     pattern TEXT,
     location TEXT,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (pair_id, rel_path)
   )`)
  const del = db.prepare('DELETE FROM sync_ignored WHERE pair_id = ?')
  const insert = db.prepare(
    `INSERT OR REPLACE INTO sync_ignored (pair_id, rel_path, is_dir, reason, pattern, location,
       updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const select = db.prepare('SELECT * FROM sync_ignored WHERE pair_id = ? ORDER BY rel_path')
  const shared = db.prepare(
    `SELECT f.rel_path AS rel_path, f.asset_token AS asset_token, f.updated_at AS updated_at,
       (SELECT MIN(g.rel_path) FROM sync_files g WHERE g.pair_id = f.pair_id
          AND g.job_id = f.job_id AND g.deleted_at IS NULL AND g.state = 'synced') AS same_as
     FROM sync_files f
     WHERE f.pair_id = ? AND f.deleted_at IS NULL AND f.state = 'synced' AND f.job_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM sync_files g WHERE g.pair_id = f.pair_id AND g.job_id = f.job_id
          AND g.deleted_at IS NULL AND g.state = 'synced' AND g.rel_path < f.rel_path)
     ORDER BY f.rel_path`,
  )
  const changes = db.prepare(
    `SELECT rel_path, updated_at FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL
       AND state = 'skipped' ORDER BY rel_path`,
  )
  return {
    replace(pairId, rows) {
      const write = (): void => {
        del.run(pairId)
        for (const row of rows)
          insert.run(
            pairId,
            row.relPath,
            row.isFolder ? 1 : 0,
            row.reason,
            row.pattern,
            row.where,
            row.updatedAt,
          )
      }
      if (db.isTransaction) write()
      else transaction(db, write)
    },
    ignored: (pairId) =>
      (
        select.all(pairId) as unknown as {
          rel_path: string
          is_dir: number
          reason: IgnoreReason
          pattern: string | null
          location: string | null
          updated_at: number
        }[]
      ).map((raw) => ({
        relPath: raw.rel_path,
        isFolder: raw.is_dir === 1,
        reason: raw.reason,
        pattern: raw.pattern,
        where: raw.location,
        updatedAt: raw.updated_at,
      })),
    sameContent: (pairId) =>
      (
        shared.all(pairId) as unknown as {
          rel_path: string
          asset_token: string | null
          updated_at: number
          same_as: string
        }[]
      ).map((raw) => ({
        relPath: raw.rel_path,
        sameAs: raw.same_as,
        assetToken: raw.asset_token,
        updatedAt: raw.updated_at,
      })),
    skippedChanges: (pairId) =>
      (changes.all(pairId) as unknown as { rel_path: string; updated_at: number }[]).map((raw) => ({
        relPath: raw.rel_path,
        updatedAt: raw.updated_at,
      })),
    forget(pairId) {
      del.run(pairId)
    },
  }
}
