/**
 * Persistent transfer jobs. Every state is written here BEFORE the network step it guards, so a
 * process killed at any instant restarts from a state that is safe to resume. The store is
 * assembled from: job-schema.ts (tables, migrations), job-row.ts (fields, legal transitions),
 * job-marks.ts (the send marks and what clears them), job-mirror.ts (in-memory hot rows and
 * totals), job-reads.ts and job-writes.ts; job-snapshot.ts is the UI's view of a row.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { migrateTransferSchema } from './job-schema.ts'
import { createJobMirror } from './job-mirror.ts'
import { createJobReads } from './job-reads.ts'
import type { JobReads } from './job-reads.ts'
import { createJobWrites } from './job-writes.ts'
import type { JobWrites } from './job-writes.ts'

export { activeStates, canTransition } from './job-row.ts'
export type { JobPatch, JobRow, StateKind } from './job-row.ts'
export { clearedUpload } from './job-marks.ts'
export { toSnapshot } from './job-snapshot.ts'

/** The store's operations; all synchronous (node:sqlite). */
export interface JobStore extends JobReads, JobWrites {}

/**
 * Opens the store on a database handle (migrating it). SQLite stays the truth and is written
 * first; rows in the hot states and the per-state totals are also mirrored in memory (updated
 * after each write, undone when a transaction rolls back), so the scheduler's frequent reads cost
 * nothing. One store per database at a time (the queue owns it).
 */
export function createJobStore(db: DatabaseSync, now: () => number = Date.now): JobStore {
  migrateTransferSchema(db)
  const statements = new Map<string, StatementSync>()
  /** Prepared once per distinct SQL text (updates vary by which fields they set). */
  const statement = (sql: string): StatementSync => {
    let prepared = statements.get(sql)
    if (prepared === undefined) {
      prepared = db.prepare(sql)
      statements.set(sql, prepared)
    }
    return prepared
  }
  const mirror = createJobMirror(db)
  const reads = createJobReads(db, mirror, statement)
  return { ...reads, ...createJobWrites(db, mirror, reads, statement, now) }
}
