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

/** A synced file that shares its upload (its job, one asset) with another file of the pair. */
export interface SharedRow {
  readonly relPath: string
  readonly jobId: string
  readonly assetToken: string | null
  readonly updatedAt: number
}

/** A synced file whose upload is another file's (same bytes, one asset). */
export interface SameContentRow {
  readonly relPath: string
  /** The file of the group that is on the board as itself. */
  readonly sameAs: string
  readonly assetToken: string | null
  readonly updatedAt: number
}

/**
 * Splits files sharing jobs into the one on the board as itself (the path the job was made for,
 * `ownerOf`, when it is still in the group; else the first by name) and the rest.
 */
export function sameContentOf(
  rows: readonly SharedRow[],
  ownerOf: (jobId: string) => string | undefined,
): SameContentRow[] {
  const groups = new Map<string, SharedRow[]>()
  for (const row of rows) {
    const group = groups.get(row.jobId)
    if (group) group.push(row)
    else groups.set(row.jobId, [row])
  }
  const out: SameContentRow[] = []
  for (const [jobId, group] of groups) {
    const wanted = ownerOf(jobId)
    const owner = group.find((row) => row.relPath === wanted)?.relPath ?? group[0]?.relPath ?? ''
    for (const row of group) {
      if (row.relPath === owner) continue
      out.push({
        relPath: row.relPath,
        sameAs: owner,
        assetToken: row.assetToken,
        updatedAt: row.updatedAt,
      })
    }
  }
  return out
}

/** The skipped-files repository. */
export interface IgnoredStore {
  /** Replaces a pair's ignored entries with what its latest scan found. */
  replace(pairId: string, rows: readonly IgnoredRow[]): void
  ignored(pairId: string): readonly IgnoredRow[]
  /** True when the pair's last scan ignored this path. */
  isIgnored(pairId: string, relPath: string): boolean
  /** Synced files of a pair that share their job with another (same content), by path. */
  shared(pairId: string): readonly SharedRow[]
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
  const one = db.prepare('SELECT 1 AS hit FROM sync_ignored WHERE pair_id = ? AND rel_path = ?')
  const shared = db.prepare(
    `SELECT f.rel_path AS rel_path, f.job_id AS job_id, f.asset_token AS asset_token,
       f.updated_at AS updated_at
     FROM sync_files f
     WHERE f.pair_id = ? AND f.deleted_at IS NULL AND f.state = 'synced' AND f.job_id IS NOT NULL
       AND EXISTS (SELECT 1 FROM sync_files g WHERE g.pair_id = f.pair_id AND g.job_id = f.job_id
          AND g.deleted_at IS NULL AND g.state = 'synced' AND g.rel_path <> f.rel_path)
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
    isIgnored: (pairId, relPath) => one.get(pairId, relPath) !== undefined,
    shared: (pairId) =>
      (
        shared.all(pairId) as unknown as {
          rel_path: string
          job_id: string
          asset_token: string | null
          updated_at: number
        }[]
      ).map((raw) => ({
        relPath: raw.rel_path,
        jobId: raw.job_id,
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
