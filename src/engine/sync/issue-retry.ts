/**
 * Brings files that need attention back: a failed upload is retried by its job (resuming where
 * the queue can), a cancelled or unreadable file (or a failure with no job to retry) is looked at
 * again on the pair's work chain, so it is read, hashed and queued like a new file. Used by
 * "Retry" in Sync issues and by "Sync now".
 */
import type { EngineCore } from './engine-core.ts'
import { factsOf, lstatOrMissing } from './file-facts.ts'
import type { ScannedFile } from './file-facts.ts'
import type { PairIntake } from './pair-intake.ts'
import { processPresent } from './pair-worker.ts'
import { absolutePath } from './worker-context.ts'
import type { Runtime } from './pair-runtime.ts'

/** Retries the issues of one pair (all of them, or the given paths); resolves once they are queued. */
export async function retryIssues(
  core: EngineCore,
  intake: PairIntake,
  rt: Runtime,
  relPaths?: readonly string[],
): Promise<number> {
  const { store, queue, now } = core
  const wanted = relPaths === undefined ? undefined : new Set(relPaths)
  const rows = store
    .issueFiles(rt.row.id)
    .filter((row) => wanted === undefined || wanted.has(row.relPath))
  if (rows.length === 0) return 0
  const again: string[] = []
  for (const row of rows) {
    const job = row.jobId === null ? undefined : queue.job(row.jobId)
    if (row.state === 'failed' && job?.state.kind === 'failed') {
      queue.retry(job.id)
      continue
    }
    again.push(row.relPath)
  }
  if (again.length > 0) {
    // Forget the old job and facts, so the file is read and queued again (a new job for a
    // cancelled one: the queue frees a cancelled job's key). Unreadable rows keep their state
    // until they are read.
    store.atomically(() => {
      for (const relPath of again) {
        const row = store.file(rt.row.id, relPath)
        if (!row) continue
        store.putFile({
          ...row,
          size: -1,
          state: row.state === 'unreadable' ? 'unreadable' : 'pending',
          jobId: null,
          reason: row.state === 'unreadable' ? row.reason : null,
          updatedAt: now(),
        })
      }
    })
    core.changed(rt)
    await intake.enqueueWork(rt, 'retry', async () => {
      const files: ScannedFile[] = []
      for (const relPath of again) {
        const info = await lstatOrMissing(absolutePath(rt.row.folder, relPath))
        if (info?.isFile()) files.push({ relPath, ...factsOf(info) })
        else intake.touch(rt, relPath)
      }
      await processPresent(core.worker, intake.handleOf(rt), files)
    })
  }
  core.changed(rt)
  return rows.length
}
