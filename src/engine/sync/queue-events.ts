/**
 * Carries the transfer queue's job events back into the sync index: a job's result becomes its
 * files' state (and the pair's last sync time), a source that changed mid-upload goes back to
 * settling, and the queue going offline or online shows in every pair's status.
 */
import type { QueueEvent } from '../transfer/types.ts'
import type { EngineCore } from './engine-core.ts'
import { fileResultOf } from './job-results.ts'
import type { Runtime } from './pair-runtime.ts'

/** The queue events the handler acts on (the engine subscribes to these alone). */
export const queueEventTypes: readonly QueueEvent['type'][] = [
  'job-changed',
  'job-source-changed',
  'offline',
  'online',
]

/** What the handler needs besides the core. */
export interface QueueEventDeps {
  /** Hands a file back to its pair's settle tracker. */
  readonly touch: (rt: Runtime, relPath: string) => void
  readonly setOnline: (online: boolean) => void
}

/** Builds the listener the engine subscribes to the queue. */
export function createQueueEventHandler(
  core: EngineCore,
  deps: QueueEventDeps,
): (event: QueueEvent) => void {
  const { store, queue, runtimes, now, changed } = core

  /** A file changed or vanished mid-upload: let the file settle again and be decided anew. */
  const onSourceChanged = (jobId: string): void => {
    const rows = store.filesOfJob(jobId).filter((row) => row.deletedAt === null)
    store.atomically(() => {
      for (const row of rows) {
        store.putFile({
          ...row,
          size: -1,
          state: 'pending',
          jobId: null,
          assetToken: null,
          updatedAt: now(),
        })
      }
    })
    // The job stays failed (never "cancelled": nobody cancelled it). When the file settles it is
    // decided again: the same content revives this job, other content supersedes it. A sync job
    // no live file points at any more was already superseded (or its file deleted): cancel it.
    const job = queue.job(jobId)
    if (rows.length === 0 && job?.pairId !== undefined && job.state.kind === 'failed')
      queue.cancel(jobId)
    for (const row of rows) {
      const rt = runtimes.get(row.pairId)
      if (!rt) continue
      deps.touch(rt, row.relPath)
      changed(rt)
    }
  }

  return (event) => {
    switch (event.type) {
      case 'job-changed': {
        const job = event.job
        if (job.pairId === undefined) return
        const owner = runtimes.get(job.pairId)
        // Every transition can change the pair's tally or why it waits (a backoff, a retry).
        if (owner) changed(owner)
        const result = fileResultOf(job)
        if (result.state === 'pending' && job.state.kind !== 'queued') return
        const rows = store.filesOfJob(job.id)
        if (rows.length === 0) return
        if (
          rows.every(
            (row) =>
              row.state === result.state &&
              (result.assetToken ?? row.assetToken) === row.assetToken,
          )
        )
          return
        store.setJobResult(job.id, result, now())
        for (const pairId of new Set(rows.map((row) => row.pairId))) {
          const rt = runtimes.get(pairId)
          if (!rt) continue
          if (result.state === 'synced') {
            rt.row = { ...rt.row, lastSyncAt: now() }
            store.updatePair(pairId, { lastSyncAt: rt.row.lastSyncAt })
          }
          changed(rt)
        }
        return
      }
      case 'job-source-changed':
        onSourceChanged(event.job.id)
        return
      case 'offline':
        deps.setOnline(false)
        return
      case 'online':
        deps.setOnline(true)
        return
      case 'halted':
      case 'job-added':
      case 'job-progress':
      case 'auth-required':
      case 'totals':
        return
    }
  }
}
