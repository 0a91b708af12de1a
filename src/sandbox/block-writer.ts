/**
 * Streams a request body to disk in whole 256 KiB blocks, hashing exactly what it stores. Only the
 * final chunk's tail may be shorter. If the body stops early (a reset), what is on disk is the whole
 * blocks that arrived, and the hashes match it, so the upload can resume from there.
 */
import type { Hash } from 'node:crypto'
import { open } from 'node:fs/promises'

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
  let pending: Buffer[] = []
  let pendingLength = 0
  let stored = 0
  let received = 0
  let ended = false

  const write = async (all: boolean): Promise<void> => {
    const n = all ? pendingLength : Math.floor(pendingLength / BLOCK) * BLOCK
    if (n === 0) return
    const buf =
      pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingLength)
    const out = buf.subarray(0, n)
    let written = 0
    while (written < n) {
      const r = await fh.write(out, written, n - written, hashes.at + written)
      written += r.bytesWritten
    }
    hashes.md5.update(out)
    hashes.sha256.update(out)
    hashes.at += n
    stored += n
    const rest = buf.subarray(n)
    pending = rest.length > 0 ? [rest] : []
    pendingLength = rest.length
  }

  try {
    try {
      let stopped = false
      for await (const chunk of options.source) {
        received += chunk.length
        options.onBytes?.(chunk.length)
        const room = cap - stored - pendingLength
        if (room <= 0) {
          if (options.atLimit === 'stop') {
            stopped = true
            break
          }
          continue
        }
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk
        pending.push(piece)
        pendingLength += piece.length
        if (pendingLength >= WRITE_BATCH) await write(false)
        if (stored + pendingLength >= cap && options.atLimit === 'stop') {
          stopped = true
          break
        }
      }
      ended = !stopped
    } catch {
      ended = false
    }
    if (ended && options.final) await write(true)
    else await write(false)
  } finally {
    await fh.close()
  }
  return { stored, received, ended }
}
