/**
 * Bringing a pair up and down: activation (take results the index missed, watch, catch-up scan)
 * and quiescing (stop the watcher, timers and settling, then wait for the work in progress).
 */
import type { EngineCore } from './engine-core.ts'
import type { Runtime } from './pair-runtime.ts'
import type { PairScans } from './pair-scan.ts'
import type { PairWatching } from './pair-watching.ts'
import { fileResultOf, isSettledJob } from './pair-worker.ts'

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

  /** Takes results of jobs that finished while nobody listened, and forgets jobs the queue lost. */
  const reconcilePending = (rt: Runtime): void => {
    const rows = store.pendingFiles(rt.row.id)
    const jobs = queue.jobsById(rows.flatMap((row) => (row.jobId === null ? [] : [row.jobId])))
    for (const row of rows) {
      if (row.jobId === null) continue
      const job = jobs.get(row.jobId)
      if (job === undefined) store.putFile({ ...row, jobId: null, updatedAt: now() })
      else if (isSettledJob(job)) store.setJobResult(job.id, fileResultOf(job), now())
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
