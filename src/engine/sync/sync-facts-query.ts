/**
 * The rescan's read of the sync index: every live file's facts and, for a pending file, its job's
 * state, streamed in one query into a packed index (live-facts.ts) with a larger page cache for
 * that one read.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { createLiveFacts } from './live-facts.ts'
import type { LiveFactsIndex } from './live-facts.ts'
import type { StoredFileState } from './sync-store.ts'
import { activeStates } from '../transfer/job-row.ts'

/** Job states of work still queued or under way. */
const liveJobStates: ReadonlySet<string> = new Set(activeStates)

/** The page cache (in KiB, as SQLite's negative `cache_size`) while a rescan reads its facts. */
const FACTS_CACHE_KIB = -8192

/** Reads a pair's live facts (see SyncStore.liveFacts for which files count as settled). */
export function createSyncFactsQuery(db: DatabaseSync): (pairId: string) => LiveFactsIndex {
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

  return function liveFacts(pairId) {
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
  }
}
