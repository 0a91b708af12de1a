/**
 * The complete stage: one pass over the jobs in `completing` groups them by org, board and prepare
 * batch and flushes a group when it is full (100), when nothing of its batch is still uploading,
 * when it has been idle for a short while, or when its oldest job has waited long enough. A group
 * holding a job whose earlier completion may have landed goes at once: completion.ts lists the
 * board before anything is sent again (exactly once under lost answers). A version waits while an
 * earlier save of its file is still being added (version-order.ts).
 */
import { BATCH_LIMIT } from './batcher.ts'
import type { JobTargets } from './job-targets.ts'
import type { JobRow } from './job-store.ts'
import type { QueueContext } from './queue-context.ts'
import type { StageRunner } from './stage-runner.ts'
import { completeWithTargets, versionNotes } from './version-completion.ts'
import { heldForEarlierSaves } from './version-order.ts'

/** Completions in flight at once (different boards or batches). */
const MAX_COMPLETES_IN_FLIGHT = 2

/** When a group is sent. */
export interface CompleteTiming {
  /** Sent once no job of the group finished uploading for this long. */
  readonly idleMs: number
  /** …and never later than this after its first job finished uploading. */
  readonly maxWaitMs: number
}

/** The complete stage. */
export interface CompleteStage {
  pass(t: number, uploading: readonly JobRow[], signal: AbortSignal): void
}

/** Creates the stage. */
export function createCompleteStage(
  ctx: QueueContext,
  runner: StageRunner,
  targets: JobTargets,
  timing: CompleteTiming,
): CompleteStage {
  const completing = new Set<string>()
  return {
    pass(t, uploading, signal) {
      const groups = new Map<string, JobRow[]>()
      const all = ctx.store.inStates(['completing'])
      // A version waits for an earlier save of its file (version-order.ts); the runner passes
      // again when that one's state changes.
      const held = heldForEarlierSaves(all, uploading, targets)
      for (const found of all) {
        if (held.has(found.id)) {
          if (found.note !== versionNotes.earlierSave)
            ctx.changed(ctx.store.patch(found.id, { note: versionNotes.earlierSave }))
          continue
        }
        let row = found
        if (row.note === versionNotes.earlierSave) {
          // Its turn came: the row stops saying it waits for the earlier save.
          row = ctx.store.patch(row.id, { note: null })
          ctx.changed(row)
        }
        const key = `${row.org}\n${row.board}\n${row.batchId ?? `single:${row.id}`}`
        const list = groups.get(key)
        if (list === undefined) groups.set(key, [row])
        else list.push(row)
      }
      for (const [key, rows] of groups) {
        if (completing.has(key)) continue
        if (completing.size >= MAX_COMPLETES_IN_FLIGHT) return
        const ready = rows.filter((r) => {
          if (r.notBefore <= t) return true
          runner.wake(r.notBefore)
          return false
        })
        if (ready.length === 0) continue
        const batchId = ready[0]?.batchId ?? null
        const stillUploading =
          batchId === null ? 0 : uploading.filter((u) => u.batchId === batchId && !u.paused).length
        const oldest = Math.min(...ready.map((r) => r.updatedAt))
        const newest = Math.max(...ready.map((r) => r.updatedAt))
        const flushNow =
          ready.length >= BATCH_LIMIT ||
          stillUploading === 0 ||
          ready.some((r) => r.requestSent) ||
          t - newest >= timing.idleMs ||
          t - oldest >= timing.maxWaitMs
        if (!flushNow) {
          runner.wake(Math.min(newest + timing.idleMs, oldest + timing.maxWaitMs))
          continue
        }
        const group = ready.slice(0, BATCH_LIMIT)
        completing.add(key)
        runner.launch(
          group.map((r) => r.id),
          () => completeWithTargets(ctx, targets, group, signal),
          () => completing.delete(key),
        )
      }
    },
  }
}
