/**
 * Reading present files for their content: hashes a batch a few files at a time (a file that
 * changed meanwhile goes back to settling) and records the files that could not be read.
 */
import { factsOf, hashFile, lstatOrMissing, sameFacts } from './file-facts.ts'
import type { ScannedFile } from './file-facts.ts'
import { absolutePath } from './worker-context.ts'
import type { PairHandle, WorkerContext } from './worker-context.ts'

/**
 * Files that could not be read get a row of their own (state `unreadable`, the error code as the
 * reason), so they show in Sync issues instead of vanishing; the hash of a known row is kept.
 */
export function recordUnreadable(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly { readonly file: ScannedFile; readonly code: string }[],
  now: number,
): void {
  if (files.length === 0) return
  ctx.store.atomically(() => {
    for (const { file, code } of files) {
      const row = ctx.store.file(pair.id, file.relPath)
      const live = row !== undefined && row.deletedAt === null
      ctx.store.putFile({
        pairId: pair.id,
        relPath: file.relPath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        ino: file.ino,
        sha256: live ? row.sha256 : '',
        state: 'unreadable',
        jobId: null,
        assetToken: live ? row.assetToken : null,
        reason: code,
        deletedAt: null,
        updatedAt: now,
      })
    }
  })
}

/** What hashing a batch found: hashes, and files that could not be read (with the error code). */
export interface HashResult {
  readonly hashed: { file: ScannedFile; sha256: string }[]
  readonly unreadable: { file: ScannedFile; code: string }[]
}

/** Hashes files a few at a time; a file that changed meanwhile goes back to settling. */
export async function hashAll(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly ScannedFile[],
): Promise<HashResult> {
  const out: { file: ScannedFile; sha256: string }[] = []
  const unreadable: { file: ScannedFile; code: string }[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as ScannedFile
      const absPath = absolutePath(pair.folder, file.relPath)
      try {
        const sha256 = await hashFile(absPath, file.size)
        const after = await lstatOrMissing(absPath)
        if (!after?.isFile()) {
          pair.resettle(file.relPath)
          continue
        }
        const facts = factsOf(after)
        if (!sameFacts(facts, file)) {
          pair.resettle(file.relPath)
          continue
        }
        out.push({ file, sha256 })
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') pair.resettle(file.relPath)
        else {
          ctx.log.warn('cannot read file', {
            pairId: pair.id,
            relPath: file.relPath,
            code: code ?? String(error),
          })
          ctx.report?.(
            absPath,
            `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}); it is tried again on the next run`,
          )
          unreadable.push({ file, code: code ?? String(error) })
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, ctx.hashConcurrency) }, worker))
  return { hashed: out, unreadable }
}
