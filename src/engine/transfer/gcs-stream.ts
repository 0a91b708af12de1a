/**
 * GCS resumable upload, streaming: the rest of the file goes out in ONE PUT
 * (`Content-Range: bytes FROM-LAST/TOTAL`), read and hashed as it goes, with no wait for a 308 per
 * chunk. After a failure (or in a new run) storage is asked what it holds (`bytes * /TOTAL`) and
 * the stream starts again from there.
 *
 * Finalize only what was decided, in a stream: a sent-mark (`sent_end`, `sent_sha256`) is
 * persisted ahead of the stream every segment (4 MiB), before that segment's bytes are handed to
 * the connection, so a crash can always vouch for what storage holds. The file's last piece (whose
 * last byte would finish the object) is held back until the running hash of everything sent plus
 * that piece is the decided content (with no decided hash: the file as it is now, which is what
 * was sent when its stamp shows no write since it was opened, and is read again otherwise); if it
 * is not, the request is cut short and storage never sees the object's last byte, so nothing is
 * finished.
 *
 * The next segment is read, hashed and marked while the current one goes out, so the socket never
 * waits for the disk, the hash or the database. Memory stays flat: three segment buffers in turn,
 * and the transport pulls pieces only as fast as the socket drains.
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { AbortedError } from '../playbook/errors.ts'
import { realSleep } from '../playbook/retry.ts'
import {
  EMPTY_SHA256,
  backOffAfter,
  checkUnchanged,
  contradiction,
  hashOfFileNow,
  holdBackUnlessDecided,
  openSource,
  stallDelayMs,
  stampSource,
  vouchFor,
  vouchForFinished,
} from './gcs-checks.ts'
import type { SentMark, SourceStamp } from './gcs-checks.ts'
import { interpret, querySession, sendEmpty } from './gcs-session.ts'
import type { SessionStatus, UploadFileInput } from './gcs-session.ts'
import { ChunkReader } from './source-reader.ts'
import { throttled } from './throttle.ts'
import { SourceChangedError } from './transfer-errors.ts'

/** Bytes read, hashed and marked at a time (the mark is persisted before they go out). */
export const STREAM_SEGMENT = 4 * 1024 * 1024
/**
 * Pieces handed to the transport. Each piece costs a turn of the body stream and a socket write;
 * at 1 MiB the client used about 15% less CPU per byte than at 256 KiB, CPU the storage server
 * needs when it shares the machine (loopback).
 */
const PIECE = 1024 * 1024
/** Storage keeps whole 256 KiB blocks of a stream cut short: the in-run hashes are kept there. */
const CHECKPOINT = 256 * 1024
/** Checkpoints kept: storage keeps what arrived, so a retry resumes near the stream's end. */
const MAX_CHECKPOINTS = 256

/** Where storage's bytes stand: their count and the hash of exactly those bytes. */
interface Stored {
  readonly offset: number
  readonly hash: Hash
}

/**
 * Uploads the rest of a file to its session in one streamed request (again from where storage
 * stands after any failure); resolves with the sha256 of the object storage finished.
 */
export async function uploadStreaming(
  input: UploadFileInput,
): Promise<{ readonly sha256: string }> {
  const sleep = input.sleep ?? realSleep
  const random = input.random ?? Math.random
  const maxStalls = input.maxStalls ?? 6
  const handle = await openSource(input)
  const reader = new ChunkReader(handle, input.path, Math.min(STREAM_SEGMENT, input.size))
  // Hashes of the bytes sent in this run at 256 KiB boundaries: storage's prefix after a reset
  // is then known without reading the file again.
  const checkpoints = new Map<number, Hash>()
  try {
    const opened = await stampSource(handle, (input.now ?? Date.now)())
    let mark: SentMark | null = input.sentMark ?? null
    // Storage's bytes as far as this run knows; unknown until asked on a used session.
    let stored: Stored | undefined
    let answer: SessionStatus | undefined
    let fromStream = false
    let needQuery = input.confirmed > 0 || mark !== null
    let stalls = 0
    let confirmedReported = input.confirmed
    if (!needQuery) stored = { offset: 0, hash: createHash('sha256') }

    for (;;) {
      if (input.signal?.aborted) throw new AbortedError()
      try {
        if (needQuery) {
          answer = await querySession(input.http, input.sessionUrl, input.size, input.signal)
          needQuery = false
          fromStream = false
        }
        if (answer !== undefined) {
          const known = answer
          answer = undefined
          if (known.kind === 'complete') return await vouchForFinished(input, mark)
          const before = stored?.offset
          stored = await hashOfStored(reader, input, mark, known.stored, stored, checkpoints)
          if (before !== undefined && stored.offset > before) stalls = 0
          if (stored.offset !== confirmedReported) {
            confirmedReported = stored.offset
            await input.onConfirmed(stored.offset)
          }
          if (fromStream && before !== undefined && stored.offset <= before) {
            // A stream that storage answered without taking any of it: back off like a failure.
            const stalled = contradiction(`no progress past ${stored.offset} of ${input.size}`)
            stalls++
            if (stalls >= maxStalls) throw stalled
            await sleep(stallDelayMs(stalled, stalls, random), input.signal)
          }
        }
        const from = stored as Stored
        if (input.size === 0) {
          await holdBackUnlessDecided(input, EMPTY_SHA256, async () => EMPTY_SHA256)
          mark = { end: 0, sha256: EMPTY_SHA256 }
          await input.onSending?.(mark)
          answer = await sendEmpty(input)
          fromStream = true
          if (answer.kind === 'complete') return { sha256: EMPTY_SHA256 }
          continue
        }
        const sent = await streamRest(input, handle, reader, opened, from, checkpoints, (m) => {
          mark = m
        })
        if (sent.status.kind === 'complete') {
          if (sent.final === null)
            throw contradiction(
              `finished before the last ${input.size - from.offset} bytes went out`,
            )
          // A file that changed meanwhile is not completed: its newer version is decided anew.
          await checkUnchanged(input)
          return { sha256: sent.final }
        }
        answer = sent.status
        fromStream = true
      } catch (e) {
        stalls = await backOffAfter(e, stalls, input)
        answer = undefined
        needQuery = true
      }
    }
  } finally {
    await handle.close()
  }
}

/**
 * The hash of storage's first `offset` bytes. Unchanged, the current one; at a checkpoint of this
 * run, that checkpoint; otherwise the file is read again and must hash to the recorded mark.
 */
async function hashOfStored(
  reader: ChunkReader,
  input: UploadFileInput,
  mark: SentMark | null,
  offset: number,
  current: Stored | undefined,
  checkpoints: ReadonlyMap<number, Hash>,
): Promise<Stored> {
  if (offset > input.size) throw contradiction(`${offset} bytes of ${input.size}`)
  if (current !== undefined && current.offset === offset) return current
  // In this run, storage cannot hold more than was marked as sent.
  if (current !== undefined && offset > (mark?.end ?? 0))
    throw contradiction(`${offset} bytes stored, at most ${mark?.end ?? 0} sent`)
  const known = checkpoints.get(offset)
  if (known !== undefined) return { offset, hash: known.copy() }
  return { offset, hash: await vouchFor(reader, input, mark, offset) }
}

/** What one streamed request ended with. */
interface StreamResult {
  readonly status: SessionStatus
  /** The hash of the whole object when its last piece went out (after the check), else null. */
  readonly final: string | null
}

/** Sends [from.offset, size) in one PUT, marking ahead and holding the file's last piece back. */
async function streamRest(
  input: UploadFileInput,
  handle: FileHandle,
  reader: ChunkReader,
  opened: SourceStamp,
  from: Stored,
  checkpoints: Map<number, Hash>,
  marked: (mark: SentMark) => void,
): Promise<StreamResult> {
  const size = input.size
  const ring = new SegmentRing()
  const hash = from.hash.copy()
  let failure: unknown
  let atYield = false
  let final: string | null = null

  /** A segment read, hashed and marked, ready to go out. */
  interface Ready {
    readonly segment: Buffer
    readonly pos: number
    readonly end: number
    /** The final segment's check and the object's hash (see below). */
    readonly check: (() => Promise<void>) | undefined
    readonly candidate: string
  }

  /** Reads, hashes and marks the segment at `pos` (the mark is persisted before it is sent). */
  async function prepare(pos: number): Promise<Ready> {
    const length = Math.min(STREAM_SEGMENT, size - pos)
    await checkUnchanged(input)
    const segment = await readFully(handle, input.path, pos, length, ring)
    const end = pos + length
    let check: (() => Promise<void>) | undefined
    let candidate = ''
    if (end === size) {
      candidate = hash.copy().update(segment).digest('hex')
      if (input.expectedSha256) {
        await holdBackUnlessDecided(input, candidate, async () => candidate)
      } else {
        // The file as it is now must be what was sent, checked before the last piece: by its
        // stamp when nothing can have written to it since it was opened, else read again.
        const prefixSha = hash.copy().digest('hex')
        const sent = candidate
        check = () =>
          holdBackUnlessDecided(input, sent, () =>
            hashOfFileNow(input, opened, sent, async () => {
              const now = await reader.hashPrefix(pos, pos, 0)
              return now.full === prefixSha ? sent : `${now.full} (prefix)`
            }),
          )
      }
    }
    hashWithCheckpoints(hash, segment, pos, checkpoints)
    const mark = { end, sha256: hash.copy().digest('hex') }
    await input.onSending?.(mark)
    marked(mark)
    return { segment, pos, end, check, candidate }
  }

  // The next segment is prepared while the current one goes out, so the socket never waits for a
  // read, a hash or a mark; the request's end waits for it (nothing runs after the request).
  let preparing: Promise<Ready> | undefined
  const prepareNext = (pos: number): Promise<Ready> | undefined => {
    if (pos >= size) return undefined
    const next = prepare(pos)
    // Awaited by the body, or after the request when the body stopped first.
    next.catch(() => undefined)
    preparing = next
    return next
  }

  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      let next = prepareNext(from.offset)
      while (next !== undefined) {
        const { segment, pos, end, check, candidate } = await next
        next = prepareNext(end)
        const length = end - pos
        // The last piece of the file (its last byte finishes the object) waits for the check.
        const tail = end === size ? Math.min(PIECE, length) : 0
        let at = pos
        for (const part of tail > 0
          ? [segment.subarray(0, length - tail), segment.subarray(length - tail)]
          : [segment]) {
          if (part.length === 0) continue
          if (tail > 0 && part.length === tail && at + tail === size) {
            await check?.()
            final = candidate
          }
          const pieces =
            input.throttle === undefined
              ? slices(part)
              : throttled(part, input.throttle, input.signal)
          for await (const piece of pieces) {
            atYield = true
            yield piece
            atYield = false
            at += piece.length
            input.onSent?.(at)
          }
        }
      }
    } catch (e) {
      // Only this body's own reasons (not the transport's error passed in at a yield).
      if (!atYield) failure = e
      throw e
    }
  }

  try {
    const res = await input.http.send({
      method: 'PUT',
      url: input.sessionUrl,
      headers: {
        'content-range': `bytes ${from.offset}-${size - 1}/${size}`,
        'content-length': String(size - from.offset),
        'content-type': input.mediaType,
      },
      body: body(),
      signal: input.signal,
      what: 'storage upload',
    })
    if (failure !== undefined) throw failure
    return { status: interpret(res, 'storage upload'), final }
  } catch (e) {
    // The body stopped on purpose (a changed file, an unreadable one): that is the error.
    if (failure !== undefined) throw failure
    throw e
  } finally {
    // A segment being prepared when the request ended finishes first (its mark included).
    await preparing?.catch(() => undefined)
  }
}

/** Updates `hash` with `segment` (at `pos`), keeping a copy at every 256 KiB boundary. */
function hashWithCheckpoints(
  hash: Hash,
  segment: Buffer,
  pos: number,
  checkpoints: Map<number, Hash>,
): void {
  let i = 0
  while (i < segment.length) {
    const boundary = (Math.floor((pos + i) / CHECKPOINT) + 1) * CHECKPOINT
    const stop = Math.min(segment.length, boundary - pos)
    hash.update(segment.subarray(i, stop))
    i = stop
    checkpoints.delete(pos + i)
    checkpoints.set(pos + i, hash.copy())
    if (checkpoints.size > MAX_CHECKPOINTS) {
      const oldest = checkpoints.keys().next().value
      if (oldest !== undefined) checkpoints.delete(oldest)
    }
  }
}

function* slices(buffer: Buffer): Generator<Uint8Array> {
  for (let i = 0; i < buffer.length; i += PIECE)
    yield buffer.subarray(i, Math.min(buffer.length, i + PIECE))
}

/**
 * The buffers one stream reads its segments into, reused in turn so memory stays flat (a fresh
 * buffer per segment left tens of MB of garbage in flight on a large file). A buffer is refilled
 * (the segment after the one going out is read ahead) only once the segment after it was handed
 * on whole, 4 pieces later, while the transport holds at most a piece its body stream read ahead
 * (an object-mode stream with a high-water mark of one) plus the one the socket is writing: no
 * byte is overwritten before it went out.
 */
class SegmentRing {
  private readonly buffers: Buffer[] = []
  private next = 0

  /** The next buffer, with room for `length` bytes. */
  take(length: number): Buffer {
    const slot = this.next
    this.next = (this.next + 1) % RING_SEGMENTS
    const known = this.buffers[slot]
    if (known !== undefined && known.length >= length) return known.subarray(0, length)
    const fresh = Buffer.allocUnsafeSlow(length)
    this.buffers[slot] = fresh
    return fresh
  }
}

/** Segments in a ring: the one read ahead, the one going out and the one before it. */
const RING_SEGMENTS = 3

async function readFully(
  handle: FileHandle,
  path: string,
  offset: number,
  length: number,
  ring: SegmentRing,
): Promise<Buffer> {
  const buffer = ring.take(length)
  let got = 0
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, offset + got)
    if (bytesRead === 0) throw new SourceChangedError(path, 'became shorter during upload')
    got += bytesRead
  }
  return buffer
}
