/**
 * The catch-up walk: lists every file of a pair's folder that is not ignored, with its size, mtime
 * and inode, without recursion (a work list) and with a bounded number of fs calls in flight, so a
 * folder of 100k files costs memory for its entries only.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Dirent, Stats } from 'node:fs'
import { IGNORE_FILE, splitRel } from './ignore-rules.ts'
import type { EntryKind, IgnoreRules } from './ignore-rules.ts'
import { kindOf, lstatOrMissing, lstatOrMissingSync } from './file-facts.ts'
import type { ScannedFile } from './file-facts.ts'
import { createDiskPace, SYNC_BATCH } from './disk-pace.ts'
import type { DiskPace } from './disk-pace.ts'
import { absolutePath } from './worker-context.ts'

/** Options for one walk. */
export interface WalkOptions {
  /** Walk only this sub-folder (relative, forward slashes); default the whole pair. */
  readonly startDir?: string
  /** Folders listed at once; default 4. */
  readonly concurrency?: number
  readonly signal?: AbortSignal
  /**
   * Takes the files as they are found (a few dozen at a time) instead of collecting them in
   * `files`, so a large tree can be processed while it is walked, in bounded memory. The walk
   * waits for the returned promise: a slow consumer slows the walk down.
   */
  readonly onFiles?: (files: readonly ScannedFile[]) => void | Promise<void>
  /** Told of each entry the ignore rules skipped (an ignored folder once, not its contents). */
  readonly onIgnored?: (relPath: string, kind: EntryKind) => void
}

/** What a walk found. */
export interface WalkResult {
  /** Every file found, unless `onFiles` took them (then empty). */
  readonly files: readonly ScannedFile[]
  /** Entries skipped by the ignore rules (an ignored folder counts once). */
  readonly ignored: number
  /** Folders or files that could not be read; the walk goes on without them. */
  readonly errors: readonly { readonly relPath: string; readonly message: string }[]
}

/**
 * Why a file whose name is not valid UTF-8 is not uploaded. Node lists such a name with U+FFFD in
 * place of the bad bytes, a path that names nothing; the file is reported, never dropped silently.
 */
export const NOT_UTF8_REASON =
  'its name is not valid UTF-8 (bytes from another encoding), so it cannot be uploaded; rename it and it will be'

/** True for a listed name that lost bytes in decoding (it contains U+FFFD). */
export function mayBeUndecodable(relPath: string): boolean {
  return relPath.includes('\uFFFD')
}

/** Thrown when a pair's folder is missing or not a folder. */
export class FolderMissingError extends Error {
  readonly folder: string
  constructor(folder: string, detail: string) {
    super(`Folder not found: ${folder} (${detail})`)
    this.name = 'FolderMissingError'
    this.folder = folder
  }
}

/** Checks that `folder` exists and is a directory, with an error that names it. */
export async function assertFolder(folder: string): Promise<void> {
  let info
  try {
    info = await stat(folder)
  } catch (error) {
    throw new FolderMissingError(folder, (error as NodeJS.ErrnoException).code ?? String(error))
  }
  if (!info.isDirectory()) throw new FolderMissingError(folder, 'not a folder')
}

/** lstat of a batch of paths (undefined: gone, or unreadable with the error recorded). */
async function statBatch(
  root: string,
  batch: readonly string[],
  errors: { relPath: string; message: string }[],
  pace: DiskPace,
): Promise<(Stats | undefined)[]> {
  const failed = (relPath: string, error: unknown): undefined => {
    errors.push({ relPath, message: (error as NodeJS.ErrnoException).code ?? String(error) })
    return undefined
  }
  if (pace.sync) {
    const started = performance.now()
    const stats = batch.map((relPath) => {
      try {
        return lstatOrMissingSync(absolutePath(root, relPath))
      } catch (error) {
        return failed(relPath, error)
      }
    })
    pace.record(performance.now() - started)
    return stats
  }
  return Promise.all(
    batch.map(async (relPath) => {
      try {
        return await lstatOrMissing(absolutePath(root, relPath))
      } catch (error) {
        return failed(relPath, error)
      }
    }),
  )
}

/** Walks `root` (absolute) applying `rules`; loads each folder's `.playbookignore` on the way. */
export async function walkFolder(
  root: string,
  rules: IgnoreRules,
  options: WalkOptions = {},
): Promise<WalkResult> {
  await assertFolder(root)
  const limit = Math.max(1, options.concurrency ?? 4)
  const files: ScannedFile[] = []
  const errors: { relPath: string; message: string }[] = []
  let ignored = 0
  const pending: string[] = [options.startDir ?? '']
  // Per walk: lstat on a local disk is done in synchronous batches (disk-pace.ts).
  const pace = createDiskPace()

  const visit = async (relDir: string): Promise<void> => {
    options.signal?.throwIfAborted()
    let entries: Dirent[]
    try {
      entries = await readdir(join(root, ...splitRel(relDir)), { withFileTypes: true })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && mayBeUndecodable(relDir)) {
        errors.push({ relPath: relDir, message: NOT_UTF8_REASON })
      } else if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        errors.push({ relPath: relDir, message: code ?? String(error) })
      }
      return
    }
    // The listing tells whether the folder has an ignore file: no failed read per folder.
    await rules.loadDir(
      relDir,
      entries.some((entry) => entry.name === IGNORE_FILE),
    )
    const toStat: string[] = []
    for (const entry of entries) {
      const relPath = relDir === '' ? entry.name : `${relDir}/${entry.name}`
      const kind: EntryKind = kindOf(entry)
      if (rules.test(relPath, kind) !== undefined) {
        if (entry.name !== IGNORE_FILE) {
          ignored++
          options.onIgnored?.(relPath, kind)
        }
        continue
      }
      if (kind === 'dir') pending.push(relPath)
      else toStat.push(relPath)
    }
    for (let i = 0; i < toStat.length; i += SYNC_BATCH) {
      options.signal?.throwIfAborted()
      const found = await filesIn(toStat.slice(i, i + SYNC_BATCH))
      if (options.onFiles) await options.onFiles(found)
      else files.push(...found)
    }
  }

  /**
   * The files among `batch` with their facts. A function of its own, so the batch's Stats are
   * let go here and not held (by `visit`'s suspended frame) while the consumer works.
   */
  const filesIn = async (batch: readonly string[]): Promise<ScannedFile[]> => {
    const stats = await statBatch(root, batch, errors, pace)
    const found: ScannedFile[] = []
    batch.forEach((relPath, index) => {
      const info = stats[index]
      if (info?.isFile())
        found.push({ relPath, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino })
      else if (info === undefined && mayBeUndecodable(relPath))
        errors.push({ relPath, message: NOT_UTF8_REASON })
    })
    return found
  }

  await new Promise<void>((resolve, reject) => {
    let active = 0
    let failed = false
    const pump = (): void => {
      if (failed) return
      if (pending.length === 0 && active === 0) {
        resolve()
        return
      }
      while (active < limit && pending.length > 0) {
        const relDir = pending.pop() as string
        active++
        visit(relDir).then(
          () => {
            active--
            pump()
          },
          (error: unknown) => {
            failed = true
            reject(error instanceof Error ? error : new Error(String(error)))
          },
        )
      }
    }
    pump()
  })
  return { files, ignored, errors }
}
