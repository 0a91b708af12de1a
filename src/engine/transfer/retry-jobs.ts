/**
 * Retrying failed jobs: an upload that finished goes back to completing (its asset may already
 * exist: completion.ts looks it up first); anything else is queued afresh, a plain upload taking
 * the file as it is now.
 */
import { stat } from 'node:fs/promises'
import { clearedUpload } from './job-store.ts'
import type { JobPatch, JobRow } from './job-store.ts'
import { moveIf } from './queue-context.ts'
import type { QueueContext } from './queue-context.ts'

/** Moves each failed job back to work. */
export async function retryFailed(ctx: QueueContext, rows: readonly JobRow[]): Promise<void> {
  for (const row of rows) {
    const reset: JobPatch = {
      attempts: 0,
      restarts: 0,
      notBefore: 0,
      failReason: null,
      retryable: false,
      solo: false,
    }
    if (row.kind === 'file' && row.signedGcsId !== null && row.sha256 !== null) {
      // The upload finished. If a completion may have landed (request_sent), it is looked
      // up first; a completion Playbook refused outright is simply sent again.
      moveIf(ctx, row.id, 'failed', 'completing', reset)
      continue
    }
    const patch: JobPatch = { ...reset, ...clearedUpload, sha256: null }
    if (row.kind === 'file' && row.path !== null) {
      const st = await stat(row.path).catch(() => undefined)
      // A sync job keeps what it was decided for (the file changed: the job stops at once
      // and the sync decides the file again); only a plain upload takes the file as it is.
      if (
        row.pairId === null &&
        st !== undefined &&
        (st.size !== row.size || Math.abs(st.mtimeMs - row.mtimeMs) > 1)
      ) {
        Object.assign(patch, { size: st.size, mtimeMs: st.mtimeMs, expectedSha256: null })
      }
    }
    moveIf(ctx, row.id, 'failed', 'queued', patch)
  }
}
