/**
 * Streams a request body to disk in whole 256 KiB blocks, hashing exactly what it stores. Only the
 * final chunk's tail may be shorter. If the body stops early (a reset), what is on disk is the whole
 * blocks that arrived, and the hashes match it, so the upload can resume from there.
 *
 * One write is on its way while the next batch is received and the one before it is hashed, and
 * the request's own chunks are written as they came (no copy into a batch buffer). Waiting for
 * each write in turn, this server took curl's 1 GiB loopback upload in 5.2 s (median); now 4.2 s.
 */
import type { Hash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/** GCS's resumable chunk granularity. */
export const BLOCK = 256 * 1024
/** Bytes gathered before a disk write (whole blocks, so an abort still leaves whole blocks). */
const WRITE_BATCH = 4 * BLOCK

/** Running md5 + sha256 of a file's first `at` bytes. */
export interface RunningHashes {
  readonly md5: Hash
  readonly sha256: Hash
  at: number
}

/** What a write stored. */
export interface BlockWriteResult {
  /** Bytes written to the file. */
  readonly stored: number
  /** Body bytes read from the request. */
  readonly received: number
  /** The body was read to its end (no abort, no limit hit with `stop`). */
  readonly ended: boolean
}

/** Writes `source` into `file` at `hashes.at`. See the module comment. */
export async function writeBlocks(options: {
  readonly source: AsyncIterable<Buffer>
  readonly file: string
  readonly hashes: RunningHashes
  /** Also store a tail shorter than a block when the body ends. */
  readonly final: boolean
  /** Store at most this many bytes. */
  readonly limit?: number
  /** At the limit: `stop` reading (the caller resets the socket) or `drain` the rest unstored. */
  readonly atLimit?: 'stop' | 'drain'
  readonly onBytes?: (n: number) => void
}): Promise<BlockWriteResult> {
  const { hashes } = options
  const cap = options.limit ?? Number.POSITIVE_INFINITY
  const fh = await open(options.file, 'r+')
  const pending = new PendingBytes()
  let inFlight: InFlightWrite | undefined
  let stored = 0
  let received = 0
  let ended = false

  /** Counts the write in flight once it is on disk: its bytes are hashed and stored. */
  const settle = async (): Promise<void> => {
    if (inFlight === undefined) return
    const { parts, length, done } = inFlight
    inFlight = undefined
    await done
    for (const part of parts) {
      hashes.md5.update(part)
      hashes.sha256.update(part)
    }
    hashes.at += length
    stored += length
  }
  /**
   * Starts writing the pending whole blocks (all pending bytes with `all`) once the write before
   * them is on disk; that one is hashed while this one is written.
   */
  const flush = async (all: boolean): Promise<void> => {
    const length = all ? pending.length : Math.floor(pending.length / BLOCK) * BLOCK
    const parts = pending.take(length)
    const before = inFlight
    if (before !== undefined) await before.done
    if (length > 0) {
      const done = writeParts(fh, parts, hashes.at + (before?.length ?? 0))
      // Awaited by settle; until then a failure must not surface as an unhandled rejection.
      done.catch(() => undefined)
      await settle()
      inFlight = { parts, length, done }
    } else {
      await settle()
    }
  }

  try {
    try {
      let stopped = false
      for await (const chunk of options.source) {
        received += chunk.length
        options.onBytes?.(chunk.length)
        const room = cap - stored - (inFlight?.length ?? 0) - pending.length
        if (room <= 0) {
          if (options.atLimit === 'stop') {
            stopped = true
            break
          }
          continue
        }
        pending.push(chunk.length > room ? chunk.subarray(0, room) : chunk)
        if (pending.length >= WRITE_BATCH) await flush(false)
        if (room <= chunk.length && options.atLimit === 'stop') {
          stopped = true
          break
        }
      }
      ended = !stopped
    } catch {
      ended = false
    }
    await flush(ended && options.final)
    await settle()
  } finally {
    // Never close the file under a write still in flight (after a failed one, say).
    await inFlight?.done.catch(() => undefined)
    await fh.close()
  }
  return { stored, received, ended }
}

/** A write started and not yet counted. */
interface InFlightWrite {
  readonly parts: readonly Buffer[]
  readonly length: number
  readonly done: Promise<void>
}

/** The bytes received and not yet written, kept as the request's own chunks (no copy). */
class PendingBytes {
  private chunks: Buffer[] = []
  length = 0

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.length += chunk.length
  }

  /** Removes and returns the first `n` bytes (a chunk split where needed). */
  take(n: number): Buffer[] {
    const out: Buffer[] = []
    let left = n
    let i = 0
    while (left > 0) {
      const head = this.chunks[i] as Buffer
      if (head.length <= left) {
        out.push(head)
        left -= head.length
        i++
      } else {
        out.push(head.subarray(0, left))
        this.chunks[i] = head.subarray(left)
        left = 0
      }
    }
    this.chunks = this.chunks.slice(i)
    this.length -= n
    return out
  }
}

/** Writes `parts` in order at `position`, however many calls the disk takes. */
async function writeParts(
  fh: FileHandle,
  parts: readonly Buffer[],
  position: number,
): Promise<void> {
  let rest = parts
  let at = position
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest, at)
    at += bytesWritten
    rest = afterBytes(rest, bytesWritten)
  }
}

/** `parts` without their first `n` bytes. */
function afterBytes(parts: readonly Buffer[], n: number): readonly Buffer[] {
  let left = n
  let i = 0
  while (i < parts.length && left >= (parts[i] as Buffer).length) {
    left -= (parts[i] as Buffer).length
    i++
  }
  if (i === parts.length) return []
  return [(parts[i] as Buffer).subarray(left), ...parts.slice(i + 1)]
}
