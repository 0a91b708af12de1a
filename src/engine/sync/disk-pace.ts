/**
 * Whether a folder's files are read with synchronous calls. On a local disk a batch of small
 * synchronous calls (lstat, or open-read-close of a small file) costs a fraction of the same calls
 * through the thread pool: no promise, no hand-off and no short-lived objects per file, which is
 * most of the cost of a scan of many small files. `SLOW_STREAK` batches in a row slower than
 * `SLOW_BATCH_MS` (a network drive, a disk busy elsewhere) switch to asynchronous calls for good,
 * so the process stays responsive.
 */

/** A synchronous batch slower than this counts as slow (about 1 ms per file of a batch). */
export const SLOW_BATCH_MS = 32

/** Files per synchronous batch (the event loop runs between batches). */
export const SYNC_BATCH = 32

/** Slow batches in a row that make reading go asynchronous (one can be a busy moment). */
const SLOW_STREAK = 3

/** The pace of one folder (or one walk). */
export interface DiskPace {
  /** True while batches are done synchronously. */
  readonly sync: boolean
  /** Records how long a synchronous batch took. */
  record(ms: number): void
}

/** A pace that starts synchronous. */
export function createDiskPace(): DiskPace {
  let sync = true
  let slow = 0
  return {
    get sync() {
      return sync
    },
    record(ms) {
      slow = ms > SLOW_BATCH_MS ? slow + 1 : 0
      if (slow >= SLOW_STREAK) sync = false
    },
  }
}
