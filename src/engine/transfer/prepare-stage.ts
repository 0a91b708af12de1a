/**
 * The prepare stage: one pass over the queued file jobs keeps prepared work ahead of the upload
 * lanes. While fewer prepared jobs wait than the lanes could take, or while what waits is less
 * than one more batch and little data (small files go fast: the next batch must be ready before
 * the lanes run dry), or when a more urgent file is queued, it prepares the next group, up to 100
 * of one org (batcher.ts), while uploads run. One prepare at a time: a backlog costs one API
 * request per hundred files, and large files are not prepared hours before they can start (a
 * prepared upload expires).
 */
import { BATCH_LIMIT, prepareJobs } from './batcher.ts'
import type { QueueContext } from './queue-context.ts'
import type { StageRunner } from './stage-runner.ts'
import type { UploadPass } from './upload-stage.ts'

/** Prepared data that may wait beyond the lanes' own needs (one more batch, if this small). */
export const PREPARE_AHEAD_BYTES = 256 * 1024 * 1024

/** The prepare stage. */
export interface PrepareStage {
  /** Returns true when queued jobs exist but none may run yet (look again at their `notBefore`). */
  pass(t: number, uploads: UploadPass, ahead: number, signal: AbortSignal): boolean
  /** True while a prepare request is out. */
  readonly busy: () => boolean
}

/** Creates the stage. */
export function createPrepareStage(ctx: QueueContext, runner: StageRunner): PrepareStage {
  let preparing = false
  return {
    busy: () => preparing,
    pass(t, uploads, ahead, signal) {
      if (preparing) return false
      // Queued rows stay in SQLite (backlogs can be huge): ask only for what this pass can start.
      const top = ctx.store.queuedTop('file')
      if (top === undefined) return false
      const short =
        uploads.waiting < ahead ||
        (uploads.waiting < ahead + BATCH_LIMIT && uploads.waitingBytes < PREPARE_AHEAD_BYTES)
      const wanted = (priority: number): boolean => short || priority > uploads.waitingTop
      if (!wanted(top)) return false
      const head = ctx.store.nextQueued('file', t)[0]
      if (head === undefined) return true
      if (!wanted(head.priority)) return false
      const group = head.solo
        ? [head]
        : ctx.store.nextQueued('file', t, { org: head.org, notSolo: true, limit: BATCH_LIMIT })
      preparing = true
      runner.launch(
        group.map((r) => r.id),
        () => prepareJobs(ctx, group, signal),
        () => (preparing = false),
      )
      return false
    },
  }
}
