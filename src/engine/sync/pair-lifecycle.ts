/**
 * Bringing a pair up and down: activation (take results the index missed, watch, catch-up scan)
 * and quiescing (stop the watcher, timers and settling, then wait for the work in progress).
 */
import type { EngineCore } from './engine-core.ts'
import type { Runtime } from './pair-runtime.ts'
import type { PairScans } from './pair-scan.ts'
import type { PairWatching } from './pair-watching.ts'
import { fileResultOf, isSettledJob, isSettledKind } from './job-results.ts'

/** Pending files reconciled at once on activation. */
const RECONCILE_PAGE = 1000

/** Activation and quiescing of every pair. */
export interface PairLifecycle {
  /** Reconciles the index with the queue, opens the watcher and queues a catch-up scan. */
  activate(rt: Runtime): Promise<void>
  /** Stops everything live for a pair (watcher, timers, settling); the index is kept. */
  quiesce(rt: Runtime): Promise<void>
}

/** Builds the lifecycle part over the engine's core, watching and scans. */
export function createPairLifecycle(
  core: EngineCore,
  watching: PairWatching,
  scans: PairScans,
): PairLifecycle {
  const { store, queue, now } = core

  /**
   * Takes results of jobs that finished while nobody listened, and forgets jobs the queue lost.
   * Goes through the pending files a page at a time, asking the queue only for their jobs' states
   * (whole jobs only for the few that settled), so 100,000 pending files cost one page of memory.
   */
  const reconcilePending = (rt: Runtime): void => {
    let after = ''
    for (;;) {
      const rows = store.pendingFiles(rt.row.id, { after, limit: RECONCILE_PAGE })
      if (rows.length === 0) return
      after = rows[rows.length - 1]?.relPath ?? after
      const states = queue.jobStates(rows.flatMap((row) => (row.jobId === null ? [] : [row.jobId])))
      for (const row of rows) {
        if (row.jobId === null) continue
        const brief = states.get(row.jobId)
        if (brief === undefined) {
          store.putFile({ ...row, jobId: null, updatedAt: now() })
          continue
        }
        if (!isSettledKind(brief.kind)) continue
        const job = queue.job(row.jobId)
        if (job !== undefined && isSettledJob(job))
          store.setJobResult(job.id, fileResultOf(job), now())
      }
      if (rows.length < RECONCILE_PAGE) return
    }
  }

  return {
    activate(rt) {
      reconcilePending(rt)
      watching.openWatcher(rt)
      return scans.requestScan(rt)
    },
    async quiesce(rt) {
      watching.stopRescans(rt)
      if (rt.flushTimer) clearTimeout(rt.flushTimer)
      rt.flushTimer = undefined
      rt.settler?.clear()
      rt.settler = undefined
      rt.present.clear()
      rt.gone.clear()
      rt.watch = undefined
      await watching.closeWatcher(rt)
      await rt.work
    },
  }
}
