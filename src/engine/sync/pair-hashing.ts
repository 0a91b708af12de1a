/**
 * Reading present files for their content: hashes a batch (a file that changed meanwhile goes
 * back to settling) and records the files that could not be read.
 */
import type { Stats } from 'node:fs'
import { createDiskPace, SYNC_BATCH } from './disk-pace.ts'
import type { DiskPace } from './disk-pace.ts'
import {
  factsOf,
  hashFile,
  hashSmallSync,
  lstatOrMissing,
  lstatOrMissingSync,
  sameFacts,
  WHOLE_READ_MAX,
} from './file-facts.ts'
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

/** Each folder's pace (kept across batches: a slow disk is found out once, not per batch). */
const paces = new Map<string, DiskPace>()

/** The pace of a pair's folder (one per folder for the process's lifetime). */
function paceOf(folder: string): DiskPace {
  let pace = paces.get(folder)
  if (pace === undefined) {
    pace = createDiskPace()
    paces.set(folder, pace)
  }
  return pace
}

/** Yields to the event loop between synchronous batches. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Hashes files; a file that changed meanwhile goes back to settling. On a fast disk small files
 * are read in synchronous batches (disk-pace.ts); large files, and every file once the disk
 * proved slow, are read a few at a time through the thread pool. `pace` is the folder's own
 * unless given (the specs give one to take either way).
 */
export async function hashAll(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly ScannedFile[],
  pace: DiskPace = paceOf(pair.folder),
): Promise<HashResult> {
  const out: { file: ScannedFile; sha256: string }[] = []
  const unreadable: { file: ScannedFile; code: string }[] = []
  /** Checks the facts after reading: a file that changed meanwhile is looked at again later. */
  const settle = (file: ScannedFile, sha256: string, after: Stats | undefined): void => {
    if (!after?.isFile() || !sameFacts(factsOf(after), file)) pair.resettle(file.relPath)
    else out.push({ file, sha256 })
  }
  const failed = (file: ScannedFile, absPath: string, error: unknown): void => {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      pair.resettle(file.relPath)
      return
    }
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

  const later: ScannedFile[] = []
  let next = 0
  while (pace.sync && next < files.length) {
    const started = performance.now()
    for (const end = Math.min(files.length, next + SYNC_BATCH); next < end; next++) {
      const file = files[next] as ScannedFile
      if (file.size > WHOLE_READ_MAX) {
        later.push(file)
        continue
      }
      const absPath = absolutePath(pair.folder, file.relPath)
      try {
        const sha256 = hashSmallSync(absPath)
        if (sha256 === undefined) later.push(file)
        else settle(file, sha256, lstatOrMissingSync(absPath))
      } catch (error) {
        failed(file, absPath, error)
      }
    }
    pace.record(performance.now() - started)
    await nextTurn()
  }
  later.push(...files.slice(next))

  let taken = 0
  const worker = async (): Promise<void> => {
    while (taken < later.length) {
      const file = later[taken++] as ScannedFile
      const absPath = absolutePath(pair.folder, file.relPath)
      try {
        const sha256 = await hashFile(absPath, file.size)
        settle(file, sha256, await lstatOrMissing(absPath))
      } catch (error) {
        failed(file, absPath, error)
      }
    }
  }
  if (later.length > 0) {
    await Promise.all(Array.from({ length: Math.max(1, ctx.hashConcurrency) }, worker))
  }
  return { hashed: out, unreadable }
}
