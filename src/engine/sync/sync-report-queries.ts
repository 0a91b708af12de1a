/**
 * The sync index's report queries: a pair's counts by state, the files that need the user, the
 * files skipped on purpose, and which of a job's files is on the board as itself.
 */
import type { SyncStatements } from './sync-statements.ts'
import { toFile } from './sync-schema.ts'
import type { RawFile } from './sync-schema.ts'
import type { StoredFileState, SyncStore } from './sync-store.ts'

/** The status half of the sync index's repository (what status and reports read). */
export type SyncReportQueries = Pick<
  SyncStore,
  'counts' | 'issueFiles' | 'skippedFiles' | 'firstOfJob'
>

/** Report queries over the index's statements. */
export function createSyncReportQueries({ all, one }: SyncStatements): SyncReportQueries {
  return {
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
  }
}
