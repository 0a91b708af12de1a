/**
 * "Upload anyway": a file skipped on purpose (ignored by a rule, same content as another file, a
 * change the pair skips) is queued once with `force`, under a key of its own
 * (`anyway:<pair>:<path>:<sha256>`), so clicking twice, or a lost answer and a second try, finds
 * the same job. The file's row points at that job; when it lands the file is on the board as
 * itself and leaves the Skipped list.
 */
import { Priority } from '../transfer/types.ts'
import type { EngineCore } from './engine-core.ts'
import { uploadRequestFor } from './change-policy.ts'
import { factsOf, hashFile, lstatOrMissing } from './file-facts.ts'
import { splitRel } from './ignore-rules.ts'
import type { PairIntake } from './pair-intake.ts'
import type { Runtime } from './pair-runtime.ts'
import { fileResultOf, isSettledJob } from './job-results.ts'
import { absolutePath } from './worker-context.ts'

/** The queue key of a file uploaded anyway: one job per pair, path and content. */
export function anywayKeyFor(pairId: string, relPath: string, sha256: string): string {
  return `anyway:${pairId}:${relPath}:${sha256}`
}

/** Refuses paths that are not plainly inside the pair's folder ('a/b.png', no '..'). */
function checkRelPath(relPath: string): void {
  const segments = splitRel(relPath)
  if (
    segments.length === 0 ||
    relPath.includes('\\') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  )
    throw new Error(`Not a file inside this folder: ${relPath}`)
}

/** Queues one skipped file with force; resolves with its job id once the queue has it. */
export async function uploadAnyway(
  core: EngineCore,
  intake: PairIntake,
  rt: Runtime,
  relPath: string,
): Promise<string> {
  checkRelPath(relPath)
  let jobId: string | undefined
  let failure: unknown
  // On the pair's work chain, so a scan or a batch does not decide the same file meanwhile.
  await intake.enqueueWork(rt, 'upload anyway', async () => {
    try {
      const absPath = absolutePath(rt.row.folder, relPath)
      const info = await lstatOrMissing(absPath)
      if (!info?.isFile()) throw new Error(`${relPath} is not a file in ${rt.row.folder} any more`)
      const facts = factsOf(info)
      const sha256 = await hashFile(absPath, facts.size)
      const request = {
        ...uploadRequestFor(intake.handleOf(rt), { relPath, absPath, facts, sha256 }, true),
        dedupeKey: anywayKeyFor(rt.row.id, relPath, sha256),
        priority: Priority.user,
        force: true,
      }
      const id = core.queue.enqueue([request])[0]
      if (id === undefined) throw new Error(`The queue did not take ${relPath}`)
      // Written after the queue took the request: a crash before this line re-finds the job by key.
      const job = core.queue.job(id)
      const result = job && isSettledJob(job) ? fileResultOf(job) : undefined
      const before = core.store.file(rt.row.id, relPath)
      const wasIgnored = before?.deletedAt !== null && core.ignored.isIgnored(rt.row.id, relPath)
      core.store.putFile({
        pairId: rt.row.id,
        relPath,
        ...facts,
        sha256,
        state: result?.state ?? 'pending',
        jobId: id,
        assetToken: result?.assetToken ?? null,
        reason: result?.reason ?? null,
        deletedAt: null,
        updatedAt: core.now(),
      })
      if (wasIgnored) {
        // It now counts as on its way (then on the board), no longer as ignored.
        const ignoredCount = Math.max(0, rt.row.ignoredCount - 1)
        rt.row = { ...rt.row, ignoredCount }
        core.store.updatePair(rt.row.id, { ignoredCount })
      }
      core.log.info('upload anyway', { pairId: rt.row.id, relPath, jobId: id })
      jobId = id
    } catch (error) {
      failure = error
    }
  })
  core.changed(rt)
  if (jobId === undefined) {
    throw failure instanceof Error
      ? failure
      : new Error(`Could not upload ${relPath}: ${String(failure ?? 'the folder was removed')}`)
  }
  return jobId
}
