/**
 * Reads a source file for the uploader: chunks into two reused buffers (one on the wire, one being
 * filled), and the hash of a prefix of the file as it is now (to vouch for bytes a previous run
 * sent, or to compare what was sent with the file before the upload is finished).
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { SourceChangedError } from './transfer-errors.ts'

/** Two reusable chunk buffers over one open file; callers never run two reads at once. */
export class ChunkReader {
  private readonly handle: FileHandle
  private readonly path: string
  private readonly size: number
  private readonly buffers: [Buffer | undefined, Buffer | undefined] = [undefined, undefined]

  constructor(handle: FileHandle, path: string, bufferSize: number) {
    this.handle = handle
    this.path = path
    // A small file gets a buffer its size, not a whole chunk.
    this.size = Math.max(1, bufferSize)
  }

  /** Returns `length` bytes at `offset` (a view of buffer `slot`, valid until its next read). */
  async read(offset: number, length: number, slot: 0 | 1): Promise<Buffer> {
    const buffer = this.buffer(slot)
    let got = 0
    while (got < length) {
      const { bytesRead } = await this.handle.read(buffer, got, length - got, offset + got)
      if (bytesRead === 0) throw new SourceChangedError(this.path, 'became shorter during upload')
      got += bytesRead
    }
    return buffer.subarray(0, length)
  }

  /**
   * Hashes the file's bytes [0, end) as they are now, through buffer `slot`; `at` (≤ end) also
   * returns a copy of the hash taken after the first `at` bytes.
   */
  async hashPrefix(end: number, at: number, slot: 0 | 1): Promise<{ full: string; atHash: Hash }> {
    const hash = createHash('sha256')
    let atHash: Hash | undefined = at === 0 ? hash.copy() : undefined
    let pos = 0
    while (pos < end) {
      const stop = atHash === undefined && at > pos ? at : end
      const length = Math.min(this.size, stop - pos)
      hash.update(await this.read(pos, length, slot))
      pos += length
      if (pos === at) atHash = hash.copy()
    }
    return { full: hash.digest('hex'), atHash: atHash ?? createHash('sha256') }
  }

  private buffer(slot: 0 | 1): Buffer {
    let buffer = this.buffers[slot]
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafe(this.size)
      this.buffers[slot] = buffer
    }
    return buffer
  }
}
