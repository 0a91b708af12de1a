/**
 * The sync index: pairs and, per pair, every file the engine has seen (facts, content hash, state,
 * job, asset). Lives in the shared state database in its own tables with its own migrations, so a
 * restart knows what is already on the board and what was in flight. This module holds the
 * records and the repository's face; the queries live by group (sync-pair-queries.ts,
 * sync-file-queries.ts, sync-facts-query.ts, sync-report-queries.ts) over sync-statements.ts.
 */
import type { DatabaseSync } from 'node:sqlite'
import type { PairSettings } from '../../shared/pair-models.ts'
import type { FileFacts } from './file-facts.ts'
import type { LiveFactsIndex } from './live-facts.ts'
import { createSyncFactsQuery } from './sync-facts-query.ts'
import { createSyncFileQueries } from './sync-file-queries.ts'
import { createSyncPairQueries } from './sync-pair-queries.ts'
import { createSyncReportQueries } from './sync-report-queries.ts'
import { migrateSyncStore } from './sync-schema.ts'
import { createSyncStatements } from './sync-statements.ts'

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

/** The sync index's repository: every SQL statement of the sync engine is behind it. */
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

/** Opens the sync index on a database handle (migrating it first). */
export function createSyncStore(db: DatabaseSync): SyncStore {
  migrateSyncStore(db)
  const statements = createSyncStatements(db)
  return {
    ...createSyncPairQueries(statements),
    ...createSyncFileQueries(statements),
    liveFacts: createSyncFactsQuery(db),
    ...createSyncReportQueries(statements),
    atomically: statements.atomically,
  }
}
