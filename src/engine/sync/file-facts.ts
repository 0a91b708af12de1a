/**
 * What the sync engine knows about a file without reading it (size, mtime, inode), and its
 * content hash when it must read it. Shared by the scanner, the settle tracker and the engine.
 */
import { createHash, hash } from 'node:crypto'
import { closeSync, createReadStream, fstatSync, lstatSync, openSync, readSync } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import type { EntryKind } from './ignore-rules.ts'

/** The cheap identity of a file's content: when all three match, the bytes are assumed unchanged. */
export interface FileFacts {
  readonly size: number
  readonly mtimeMs: number
  readonly ino: number
}

/** A file found on disk, relative to its pair's root (forward slashes). */
export interface ScannedFile extends FileFacts {
  readonly relPath: string
}

/** Reads the facts of a stat result. */
export function factsOf(stats: Stats): FileFacts {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino }
}

/** True when two observations describe the same bytes as far as size, mtime and inode tell. */
export function sameFacts(a: FileFacts, b: FileFacts): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino
}

/** The kind of an entry from its lstat (symlinks are not followed). */
export function kindOf(stats: {
  isFile(): boolean
  isDirectory(): boolean
  isSymbolicLink(): boolean
}): EntryKind {
  if (stats.isSymbolicLink()) return 'symlink'
  if (stats.isFile()) return 'file'
  if (stats.isDirectory()) return 'dir'
  return 'other'
}

/** lstat that answers `undefined` for a path that is gone (ENOENT / ENOTDIR). */
export async function lstatOrMissing(absPath: string): Promise<Stats | undefined> {
  try {
    return await lstat(absPath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

/** The synchronous `lstatOrMissing` (for the walk's batches on a fast disk, see scanner.ts). */
export function lstatOrMissingSync(absPath: string): Stats | undefined {
  try {
    return lstatSync(absPath, { throwIfNoEntry: false })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

/** Files up to this size are read in one call into a buffer of their size instead of streamed. */
export const WHOLE_READ_MAX = 256 * 1024

/**
 * Streams a file through sha256 (constant memory, any size); returns the hex digest. A small file
 * is read whole into a buffer of its size: no stream and no oversized read buffer per file, which
 * is most of the cost of hashing a tree of many small files. Callers compare the file's facts
 * afterwards, so a file that changes while it is read is caught either way.
 */
export async function hashFile(
  absPath: string,
  sizeHint?: number,
  signal?: AbortSignal,
): Promise<string> {
  const hash = createHash('sha256')
  if (sizeHint !== undefined && sizeHint <= WHOLE_READ_MAX) {
    const small = await readSmall(absPath, signal)
    if (small) return hash.update(small).digest('hex')
  }
  const highWaterMark = Math.max(64 * 1024, Math.min(1024 * 1024, sizeHint ?? 1024 * 1024))
  const stream = createReadStream(absPath, { highWaterMark, signal })
  for await (const chunk of stream) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** The whole file when it is (still) small, else undefined (it grew: stream it instead). */
async function readSmall(absPath: string, signal?: AbortSignal): Promise<Buffer | undefined> {
  signal?.throwIfAborted()
  const handle = await open(absPath, 'r')
  try {
    const { size } = await handle.stat()
    if (size > WHOLE_READ_MAX) return undefined
    const buffer = Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return buffer.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

/** The buffer synchronous reads share (one at a time: nothing awaits while it is in use). */
let sharedBuffer: Buffer | undefined

/**
 * The sha256 of a small file read with synchronous calls into one shared buffer (for a scan's
 * batches on a fast disk, see disk-pace.ts): no promise, file handle or buffer per file. Undefined
 * when the file is (now) larger than `WHOLE_READ_MAX`: it is hashed with `hashFile` instead.
 */
export function hashSmallSync(absPath: string): string | undefined {
  const fd = openSync(absPath, 'r')
  try {
    const { size } = fstatSync(fd)
    if (size > WHOLE_READ_MAX) return undefined
    sharedBuffer ??= Buffer.allocUnsafeSlow(WHOLE_READ_MAX)
    let filled = 0
    while (filled < size) {
      const bytesRead = readSync(fd, sharedBuffer, filled, size - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return hash('sha256', sharedBuffer.subarray(0, filled))
  } finally {
    closeSync(fd)
  }
}
