/**
 * The sync index: pairs and, per pair, every file the engine has seen (facts, content hash, state,
 * job, asset). Lives in the shared state database in its own tables with its own migrations, so a
 * restart knows what is already on the board and what was in flight.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import { transaction } from '../store/database.ts'
import type { PairSettings } from '../../shared/pair-models.ts'
import type { FileFacts } from './file-facts.ts'
import { migrateSyncStore, toFile, toPair } from './sync-schema.ts'
import type { RawFile, RawPair } from './sync-schema.ts'
import { createLiveFacts } from './live-facts.ts'
import type { LiveFactsIndex } from './live-facts.ts'
import { activeStates } from '../transfer/job-row.ts'

/**
 * Persistent file states (`settling` is only ever in memory). `unreadable`: the file could not be
 * read (its row has an empty hash); `cancelled`: its upload was cancelled. Both, like `failed`,
 * need the user and come back on retry or "Sync now".
 */
export type StoredFileState =
  'pending' | 'synced' | 'failed' | 'skipped' | 'unreadable' | 'cancelled'

/** Stored states that need the user's attention (listed in Sync issues). */
export const issueStates: readonly StoredFileState[] = ['failed', 'unreadable', 'cancelled']

/** One pair as stored. */
export interface PairRow {
  readonly id: string
  readonly folder: string
  readonly org: string
  readonly board: string
  readonly boardTitle: string | null
  readonly settings: PairSettings
  readonly paused: boolean
  readonly lastSyncAt: number | null
  readonly ignoredCount: number
  readonly createdAt: number
}

/** One file of a pair as stored. A deleted file keeps its row (for rename matching) with `deletedAt`. */
export interface FileRow extends FileFacts {
  readonly pairId: string
  readonly relPath: string
  readonly sha256: string
  readonly state: StoredFileState
  readonly jobId: string | null
  readonly assetToken: string | null
  readonly reason: string | null
  readonly deletedAt: number | null
  readonly updatedAt: number
}

/** Counts by state for one pair (deleted files not included). */
export interface FileCounts {
  readonly synced: number
  readonly pending: number
  readonly failed: number
  readonly skipped: number
  readonly unreadable: number
  readonly cancelled: number
  /** Synced files that share their asset with another synced file of the pair (same bytes). */
  readonly sameContent: number
}

export { migrateSyncStore } from './sync-schema.ts'

/** The sync index's repository: every SQL statement of the sync engine lives here. */
export interface SyncStore {
  pairs(): readonly PairRow[]
  pair(id: string): PairRow | undefined
  insertPair(pair: PairRow): void
  updatePair(
    id: string,
    patch: Partial<
      Pick<PairRow, 'paused' | 'lastSyncAt' | 'ignoredCount' | 'settings' | 'boardTitle'>
    >,
  ): void
  deletePair(id: string): void

  file(pairId: string, relPath: string): FileRow | undefined
  /** Every file row of a pair, deleted ones too. */
  files(pairId: string): readonly FileRow[]
  /** Live (not deleted) files of a pair. */
  liveFiles(pairId: string): readonly FileRow[]
  /** Paths of a pair's live files only: what a scan needs to find vanished files, in less memory. */
  livePaths(pairId: string): readonly string[]
  /**
   * The facts of every live file of a pair by path, streamed from the index in one query (no row
   * objects, no array of all rows) into a packed index: what a rescan compares the folder with.
   * A file needs nothing more while its facts stay the same when it is synced, skipped or
   * cancelled, or pending with its job still queued or under way in the queue (its result comes
   * back by the queue's events); failed and unreadable files, and pending ones whose job failed,
   * finished or is gone, are looked at again on every scan.
   */
  liveFacts(pairId: string): LiveFactsIndex
  /** The rows (deleted ones too) at these paths, in a few queries instead of one per path. */
  filesAt(pairId: string, relPaths: readonly string[]): Map<string, FileRow>
  /** Files (deleted ones too) that share an inode or a hash with a file, other than at `relPath`. */
  renameCandidates(
    pairId: string,
    relPath: string,
    ino: number,
    sha256: string | null,
  ): readonly FileRow[]
  filesOfJob(jobId: string): readonly FileRow[]
  /**
   * Live pending files of a pair, by path; with `page`, only up to `limit` of them after the path
   * `after` ('' for the first page), so a pair of 100,000 files can be gone through in bounded memory.
   */
  pendingFiles(
    pairId: string,
    page?: { readonly after: string; readonly limit: number },
  ): readonly FileRow[]
  /** Inserts or replaces the row at (pairId, relPath). */
  putFile(row: FileRow): void
  /** Moves a row to a new path (dropping any deleted row there) with new facts. */
  moveFile(pairId: string, from: string, to: string, facts: FileFacts, now: number): void
  markDeleted(pairId: string, relPath: string, now: number): void
  setJobResult(
    jobId: string,
    result: { state: StoredFileState; assetToken: string | null; reason: string | null },
    now: number,
  ): readonly FileRow[]
  counts(pairId: string): FileCounts
  /** Live files that need the user (failed, unreadable, cancelled), by path. */
  issueFiles(pairId: string): readonly FileRow[]
  /** Live files skipped on purpose (changed in a skipping pair, or set aside by ignore rules). */
  skippedFiles(pairId: string): readonly FileRow[]
  /** The first path (by name) of the live files sharing a job: the one on the board as itself. */
  firstOfJob(pairId: string, jobId: string): string | undefined
  /** Runs `fn` in one transaction. */
  atomically<T>(fn: () => T): T
}

/** Job states of work still queued or under way. */
const liveJobStates: ReadonlySet<string> = new Set(activeStates)

/** The page cache (in KiB, as SQLite's negative `cache_size`) while a rescan reads its facts. */
const FACTS_CACHE_KIB = -8192

/** Paths per `filesAt` query (well under SQLite's bound-parameter limit). */
const LOOKUP_CHUNK = 250
const LOOKUP_SIZES: readonly number[] = [1, 4, 16, 64, LOOKUP_CHUNK]

/** Opens the sync index on a database handle (migrating it first). */
export function createSyncStore(db: DatabaseSync): SyncStore {
  migrateSyncStore(db)
  const statements = new Map<string, StatementSync>()
  const prepared = (sql: string): StatementSync => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  const all = <T>(sql: string, ...params: SQLInputValue[]): T[] =>
    prepared(sql).all(...params) as unknown as T[]
  const one = <T>(sql: string, ...params: SQLInputValue[]): T | undefined =>
    prepared(sql).get(...params) as unknown as T | undefined
  const run = (sql: string, ...params: SQLInputValue[]): void => {
    prepared(sql).run(...params)
  }
  const atomically = <T>(fn: () => T): T => (db.isTransaction ? fn() : transaction(db, fn))
  const liveFactsQuery = db.prepare(
    'SELECT rel_path, size, mtime_ms, ino, state, NULL FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL',
  )
  liveFactsQuery.setReturnArrays(true)
  /**
   * The same facts with each file's job state, read in the same pass: the queue keeps its jobs in
   * this database (queue.ts), so a rescan learns which pending files still have a live job without
   * asking the queue about each one. Prepared once the queue's table exists.
   */
  let liveFactsWithJobs: StatementSync | undefined
  const factsQuery = (): StatementSync => {
    if (liveFactsWithJobs !== undefined) return liveFactsWithJobs
    const queueTable = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transfer_jobs'")
      .get()
    if (queueTable === undefined) return liveFactsQuery
    liveFactsWithJobs = db.prepare(
      `SELECT f.rel_path, f.size, f.mtime_ms, f.ino, f.state, j.state FROM sync_files f
         LEFT JOIN transfer_jobs j ON f.state = 'pending' AND j.id = f.job_id
         WHERE f.pair_id = ? AND f.deleted_at IS NULL`,
    )
    liveFactsWithJobs.setReturnArrays(true)
    return liveFactsWithJobs
  }

  return {
    pairs: () => all<RawPair>('SELECT * FROM sync_pairs ORDER BY created_at, id').map(toPair),
    pair(id) {
      const raw = one<RawPair>('SELECT * FROM sync_pairs WHERE id = ?', id)
      return raw && toPair(raw)
    },
    insertPair(pair) {
      run(
        `INSERT INTO sync_pairs (id, folder, org, board, board_title, settings, paused, last_sync_at,
           ignored_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        pair.id,
        pair.folder,
        pair.org,
        pair.board,
        pair.boardTitle,
        JSON.stringify(pair.settings),
        pair.paused ? 1 : 0,
        pair.lastSyncAt,
        pair.ignoredCount,
        pair.createdAt,
      )
    },
    updatePair(id, patch) {
      if (patch.paused !== undefined)
        run('UPDATE sync_pairs SET paused = ? WHERE id = ?', patch.paused ? 1 : 0, id)
      if (patch.lastSyncAt !== undefined)
        run('UPDATE sync_pairs SET last_sync_at = ? WHERE id = ?', patch.lastSyncAt, id)
      if (patch.ignoredCount !== undefined)
        run('UPDATE sync_pairs SET ignored_count = ? WHERE id = ?', patch.ignoredCount, id)
      if (patch.settings !== undefined)
        run('UPDATE sync_pairs SET settings = ? WHERE id = ?', JSON.stringify(patch.settings), id)
      if (patch.boardTitle !== undefined)
        run('UPDATE sync_pairs SET board_title = ? WHERE id = ?', patch.boardTitle, id)
    },
    deletePair(id) {
      atomically(() => {
        run('DELETE FROM sync_files WHERE pair_id = ?', id)
        run('DELETE FROM sync_pairs WHERE id = ?', id)
      })
    },

    file(pairId, relPath) {
      const raw = one<RawFile>(
        'SELECT * FROM sync_files WHERE pair_id = ? AND rel_path = ?',
        pairId,
        relPath,
      )
      return raw && toFile(raw)
    },
    files: (pairId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE pair_id = ?', pairId).map(toFile),
    liveFiles: (pairId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL', pairId).map(
        toFile,
      ),
    livePaths: (pairId) =>
      all<{ rel_path: string }>(
        'SELECT rel_path FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL',
        pairId,
      ).map((raw) => raw.rel_path),
    liveFacts(pairId) {
      const facts = createLiveFacts()
      // Each pending file's job is found by id, at random places in the queue's id index: for this
      // one read the page cache holds that index (a few MB for 100,000 jobs), then shrinks back.
      const cache = (db.prepare('PRAGMA cache_size').get() as { cache_size: number }).cache_size
      db.exec(`PRAGMA cache_size = ${FACTS_CACHE_KIB}`)
      try {
        for (const raw of factsQuery().iterate(pairId) as Iterable<
          [string, number, number, number, StoredFileState, string | null]
        >) {
          const [relPath, size, mtimeMs, ino, state, jobState] = raw
          const settled =
            state === 'synced' ||
            state === 'skipped' ||
            state === 'cancelled' ||
            (state === 'pending' && jobState !== null && liveJobStates.has(jobState))
          facts.add(relPath, settled, size, mtimeMs, ino)
        }
      } finally {
        db.exec(`PRAGMA cache_size = ${Math.trunc(cache)}`)
      }
      return facts
    },
    filesAt(pairId, relPaths) {
      const found = new Map<string, FileRow>()
      for (let i = 0; i < relPaths.length; i += LOOKUP_CHUNK) {
        const chunk = relPaths.slice(i, i + LOOKUP_CHUNK)
        // Padded (repeating the last path) to a few sizes, so only a few statements are prepared.
        const size = LOOKUP_SIZES.find((n) => n >= chunk.length) ?? LOOKUP_CHUNK
        while (chunk.length < size) chunk.push(chunk[chunk.length - 1] as string)
        const marks = chunk.map(() => '?').join(', ')
        const rows = all<RawFile>(
          `SELECT * FROM sync_files WHERE pair_id = ? AND rel_path IN (${marks})`,
          pairId,
          ...chunk,
        )
        for (const raw of rows) found.set(raw.rel_path, toFile(raw))
      }
      return found
    },
    renameCandidates(pairId, relPath, ino, sha256) {
      // Two indexed lookups (an OR across two indexes would scan the pair's rows).
      const byIno = all<RawFile>(
        'SELECT * FROM sync_files WHERE pair_id = ? AND ino = ? AND rel_path <> ?',
        pairId,
        ino,
        relPath,
      )
      const bySha =
        sha256 === null
          ? []
          : all<RawFile>(
              'SELECT * FROM sync_files WHERE pair_id = ? AND sha256 = ? AND rel_path <> ?',
              pairId,
              sha256,
              relPath,
            )
      const unique = new Map<string, FileRow>()
      for (const raw of [...byIno, ...bySha]) unique.set(raw.rel_path, toFile(raw))
      // Deleted rows first, most recently deleted first: the likeliest rename sources.
      return [...unique.values()].sort((a, b) => (b.deletedAt ?? -1) - (a.deletedAt ?? -1))
    },
    filesOfJob: (jobId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE job_id = ?', jobId).map(toFile),
    pendingFiles: (pairId, page) =>
      (page === undefined
        ? all<RawFile>(
            "SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL AND state = 'pending'",
            pairId,
          )
        : all<RawFile>(
            `SELECT * FROM sync_files WHERE pair_id = ? AND rel_path > ? AND deleted_at IS NULL
               AND state = 'pending' ORDER BY rel_path LIMIT ?`,
            pairId,
            page.after,
            Math.max(1, Math.floor(page.limit)),
          )
      ).map(toFile),
    putFile(row) {
      run(
        `INSERT OR REPLACE INTO sync_files (pair_id, rel_path, size, mtime_ms, ino, sha256, state, job_id,
           asset_token, reason, deleted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.pairId,
        row.relPath,
        row.size,
        row.mtimeMs,
        row.ino,
        row.sha256,
        row.state,
        row.jobId,
        row.assetToken,
        row.reason,
        row.deletedAt,
        row.updatedAt,
      )
    },
    moveFile(pairId, from, to, facts, now) {
      atomically(() => {
        run('DELETE FROM sync_files WHERE pair_id = ? AND rel_path = ?', pairId, to)
        run(
          `UPDATE sync_files SET rel_path = ?, size = ?, mtime_ms = ?, ino = ?, deleted_at = NULL,
             updated_at = ? WHERE pair_id = ? AND rel_path = ?`,
          to,
          facts.size,
          facts.mtimeMs,
          facts.ino,
          now,
          pairId,
          from,
        )
      })
    },
    markDeleted(pairId, relPath, now) {
      run(
        'UPDATE sync_files SET deleted_at = ?, updated_at = ? WHERE pair_id = ? AND rel_path = ? AND deleted_at IS NULL',
        now,
        now,
        pairId,
        relPath,
      )
    },
    setJobResult(jobId, result, now) {
      run(
        'UPDATE sync_files SET state = ?, asset_token = COALESCE(?, asset_token), reason = ?, updated_at = ? WHERE job_id = ?',
        result.state,
        result.assetToken,
        result.reason,
        now,
        jobId,
      )
      return all<RawFile>('SELECT * FROM sync_files WHERE job_id = ?', jobId).map(toFile)
    },
    counts(pairId) {
      const rows = all<{ state: StoredFileState; n: number }>(
        'SELECT state, COUNT(*) AS n FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL GROUP BY state',
        pairId,
      )
      const by = (state: StoredFileState): number => rows.find((row) => row.state === state)?.n ?? 0
      const shared = one<{ n: number }>(
        `SELECT COUNT(*) - COUNT(DISTINCT COALESCE(job_id, rel_path)) AS n FROM sync_files
           WHERE pair_id = ? AND deleted_at IS NULL AND state = 'synced'`,
        pairId,
      )
      return {
        synced: by('synced'),
        pending: by('pending'),
        failed: by('failed'),
        skipped: by('skipped'),
        unreadable: by('unreadable'),
        cancelled: by('cancelled'),
        sameContent: shared?.n ?? 0,
      }
    },
    issueFiles: (pairId) =>
      all<RawFile>(
        `SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL
           AND state IN ('failed', 'unreadable', 'cancelled') ORDER BY rel_path`,
        pairId,
      ).map(toFile),
    skippedFiles: (pairId) =>
      all<RawFile>(
        "SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL AND state = 'skipped'",
        pairId,
      ).map(toFile),
    firstOfJob: (pairId, jobId) =>
      one<{ rel_path: string }>(
        `SELECT MIN(rel_path) AS rel_path FROM sync_files
           WHERE pair_id = ? AND job_id = ? AND deleted_at IS NULL`,
        pairId,
        jobId,
      )?.rel_path ?? undefined,
    atomically,
  }
}
