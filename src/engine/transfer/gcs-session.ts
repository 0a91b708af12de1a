/**
 * GCS resumable upload (seed 002): start a session, stream the file chunk by chunk, trust only
 * the offset the server reports, resume with a status query. One reusable buffer per transfer
 * keeps memory flat; the file is hashed (sha256) as it is read.
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import {
  AbortedError,
  PlaybookError,
  errorFromResponse,
  isAbortError,
  isPlaybookError,
} from '../playbook/errors.ts'
import type { Http, HttpResponse } from '../playbook/http.ts'
import { parseJson } from '../playbook/http.ts'
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryable,
  realSleep,
  retryDelayMs,
} from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'
import {
  RestartFromPrepareError,
  SourceChangedError,
  SourceUnreadableError,
} from './transfer-errors.ts'
import { throttled } from './throttle.ts'
import type { Throttle } from './throttle.ts'

/** What prepare returned that the session start needs. */
export interface SessionStartInput {
  readonly uploadUrl: string
  readonly mediaType: string
  readonly orgMetadata?: string | null
  readonly extension?: string | null
  readonly signal?: AbortSignal
}

/** Starts a resumable session; returns the session URL (Location). No Authorization is sent. */
export async function startSession(http: Http, input: SessionStartInput): Promise<string> {
  const headers: Record<string, string> = {
    'x-goog-resumable': 'start',
    'content-type': input.mediaType,
    'content-length': '0',
  }
  if (input.orgMetadata) headers['x-goog-meta-encrypted-organization-metadata'] = input.orgMetadata
  if (input.extension) headers['x-goog-meta-extension'] = headerSafe(input.extension)
  const res = await http.send({
    method: 'POST',
    url: input.uploadUrl,
    headers,
    body: '',
    signal: input.signal,
    what: 'storage session start',
  })
  if (res.status === 200 || res.status === 201) {
    const location = res.headers.location
    if (location === undefined || location === '')
      throw new PlaybookError('server', 'storage session start: no Location header', {
        status: res.status,
      })
    return new URL(location, input.uploadUrl).toString()
  }
  if ([400, 403, 404, 410].includes(res.status)) {
    throw new RestartFromPrepareError(
      `storage rejected the signed upload URL (HTTP ${res.status}); preparing again`,
    )
  }
  throw storageError(res, 'storage session start')
}

/** What the server holds for a session. */
export type SessionStatus =
  { readonly kind: 'incomplete'; readonly stored: number } | { readonly kind: 'complete' }

/** Asks how many bytes the session holds (empty PUT with `Content-Range: bytes * /TOTAL`). */
export async function querySession(
  http: Http,
  sessionUrl: string,
  total: number,
  signal?: AbortSignal,
): Promise<SessionStatus> {
  const res = await http.send({
    method: 'PUT',
    url: sessionUrl,
    headers: { 'content-range': `bytes */${total}`, 'content-length': '0' },
    body: '',
    signal,
    what: 'storage status query',
  })
  return interpret(res, 'storage status query')
}

/** Parses `Range: bytes=0-N` into N+1; no header means nothing stored. */
export function storedFromRange(range: string | undefined): number {
  if (range === undefined) return 0
  const m = /bytes=(\d+)-(\d+)/.exec(range)
  return m === null ? 0 : Number(m[2]) + 1
}

function interpret(res: HttpResponse, what: string): SessionStatus {
  if (res.status === 308) return { kind: 'incomplete', stored: storedFromRange(res.headers.range) }
  if (res.status === 200 || res.status === 201) return { kind: 'complete' }
  if ([400, 403, 404, 410].includes(res.status)) {
    throw new RestartFromPrepareError(
      `upload session is gone or expired (HTTP ${res.status}); preparing again`,
    )
  }
  throw storageError(res, what)
}

function storageError(res: HttpResponse, what: string): PlaybookError {
  return errorFromResponse({
    status: res.status,
    body: parseJson(res.text),
    retryAfter: res.headers['retry-after'],
    what,
  })
}

/** Everything one file transfer needs. */
export interface UploadFileInput {
  readonly http: Http
  readonly sessionUrl: string
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  readonly mediaType: string
  readonly expectedSha256?: string | null
  /** Bytes already confirmed (persisted); the server is asked before trusting it. */
  readonly confirmed: number
  readonly chunkSize: number
  readonly throttle?: Throttle
  readonly signal?: AbortSignal
  readonly sleep?: Sleep
  readonly random?: () => number
  /** Consecutive failed tries without progress before giving up with the last error. */
  readonly maxStalls?: number
  /** Called with each newly confirmed offset; awaited (the queue persists it). */
  readonly onConfirmed: (bytes: number) => void | Promise<void>
}

/**
 * Uploads the rest of a file to its session; resolves with the file's sha256 once storage has all
 * of it. Still one chunk request in flight at a time, but while it is on the wire the next chunk
 * is read and hashed into a second buffer, so the socket does not wait for the disk or the hash.
 */
export async function uploadFile(input: UploadFileInput): Promise<{ readonly sha256: string }> {
  const sleep = input.sleep ?? realSleep
  const random = input.random ?? Math.random
  const maxStalls = input.maxStalls ?? 6
  const handle = await openSource(input)
  const reader = new HashingReader(handle, input.path, Math.min(input.chunkSize, input.size))
  let prefetch: Prefetch | undefined
  try {
    let offset = input.confirmed
    let complete = false
    let stalls = 0
    let lastError: unknown
    let needQuery = input.confirmed > 0
    // openSource has just checked the file; later chunks check it again before they are sent.
    let checked = true

    while (!complete) {
      if (input.signal?.aborted) throw new AbortedError()
      try {
        if (needQuery) {
          const status = await querySession(input.http, input.sessionUrl, input.size, input.signal)
          needQuery = false
          if (status.kind === 'complete') {
            complete = true
            break
          }
          if (status.stored !== offset) {
            offset = status.stored
            await input.onConfirmed(offset)
          }
        }
        const ahead = prefetch
        prefetch = undefined
        const useAhead = ahead !== undefined && ahead.offset === offset
        // A prefetched chunk was checked against the file while the previous one was on the wire.
        if (!checked && !useAhead) await checkUnchanged(input)
        checked = false
        if (input.size === 0) {
          const result = await sendEmpty(input)
          complete = result.kind === 'complete'
          continue
        }
        const length = Math.min(input.chunkSize, input.size - offset)
        let chunk: Buffer
        let slot: 0 | 1 = 0
        if (useAhead && ahead.length === length) {
          chunk = await ahead.data
          slot = ahead.slot
        } else {
          // Not what storage asked for next (a short Range, a retry): let it settle, read afresh.
          if (ahead !== undefined) await ahead.data.catch(() => undefined)
          chunk = await reader.read(offset, length, slot)
        }
        const sent = sendChunk(input, chunk, offset)
        const next = offset + length
        if (next < input.size) {
          const other: 0 | 1 = slot === 0 ? 1 : 0
          const nextLength = Math.min(input.chunkSize, input.size - next)
          const data = reader.read(next, nextLength, other).then(async (view) => {
            await checkUnchanged(input)
            return view
          })
          // Awaited (or settled) before any use; a failure surfaces when the chunk is needed.
          data.catch(() => undefined)
          prefetch = { offset: next, length: nextLength, slot: other, data }
        }
        const result = await sent
        if (result.kind === 'complete') {
          complete = true
        } else {
          if (result.stored > offset) stalls = 0
          offset = result.stored
          await input.onConfirmed(offset)
        }
      } catch (e) {
        if (isAbortError(e) || input.signal?.aborted) throw e
        if (
          e instanceof RestartFromPrepareError ||
          e instanceof SourceChangedError ||
          e instanceof SourceUnreadableError
        )
          throw e
        if (!isRetryable(e)) throw e
        lastError = e
        stalls++
        if (stalls >= maxStalls) throw lastError
        const delay =
          isPlaybookError(e) && e.retryAfterMs !== undefined
            ? retryDelayMs(e, stalls, defaultRetryPolicy, random)
            : backoffDelayMs(
                stalls,
                { ...defaultRetryPolicy, baseDelayMs: 250, maxDelayMs: 8000 },
                random,
              )
        await sleep(delay, input.signal)
        needQuery = true
      }
    }
    if (prefetch !== undefined) await prefetch.data.catch(() => undefined)
    prefetch = undefined
    await checkUnchanged(input)
    const sha256 = await reader.finish(input.size)
    if (input.expectedSha256 && input.expectedSha256 !== sha256) {
      throw new SourceChangedError(input.path, 'content differs from when it was queued')
    }
    return { sha256 }
  } finally {
    if (prefetch !== undefined) await prefetch.data.catch(() => undefined)
    await handle.close()
  }
}

/** The next chunk, being read into the buffer that is not on the wire. */
interface Prefetch {
  readonly offset: number
  readonly length: number
  readonly slot: 0 | 1
  readonly data: Promise<Buffer>
}

async function sendEmpty(input: UploadFileInput): Promise<SessionStatus> {
  const res = await input.http.send({
    method: 'PUT',
    url: input.sessionUrl,
    headers: {
      'content-range': 'bytes */0',
      'content-length': '0',
      'content-type': input.mediaType,
    },
    body: '',
    signal: input.signal,
    what: 'storage upload',
  })
  return interpret(res, 'storage upload')
}

async function sendChunk(
  input: UploadFileInput,
  chunk: Buffer,
  offset: number,
): Promise<SessionStatus> {
  const end = offset + chunk.length - 1
  const res = await input.http.send({
    method: 'PUT',
    url: input.sessionUrl,
    headers: {
      'content-range': `bytes ${offset}-${end}/${input.size}`,
      'content-length': String(chunk.length),
      'content-type': input.mediaType,
    },
    body: input.throttle === undefined ? chunk : throttled(chunk, input.throttle, input.signal),
    signal: input.signal,
    what: 'storage upload',
  })
  return interpret(res, 'storage upload')
}

async function openSource(input: UploadFileInput): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(input.path, 'r')
  } catch (e) {
    throw sourceError(input.path, e)
  }
  try {
    const st = await handle.stat()
    if (!st.isFile()) throw new SourceUnreadableError(input.path, 'is not a regular file')
    if (st.size !== input.size || Math.abs(st.mtimeMs - input.mtimeMs) > 1) {
      throw new SourceChangedError(
        input.path,
        `changed since it was queued (size ${input.size} → ${st.size})`,
      )
    }
  } catch (e) {
    await handle.close()
    throw e
  }
  return handle
}

async function checkUnchanged(input: UploadFileInput): Promise<void> {
  let st
  try {
    st = await stat(input.path)
  } catch (e) {
    throw sourceError(input.path, e)
  }
  if (st.size !== input.size || Math.abs(st.mtimeMs - input.mtimeMs) > 1) {
    throw new SourceChangedError(input.path, 'changed during upload')
  }
}

function sourceError(path: string, e: unknown): Error {
  const code = (e as { code?: unknown }).code
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new SourceChangedError(path, 'vanished before it was uploaded')
  return new SourceUnreadableError(path, e instanceof Error ? e.message : String(e))
}

/**
 * Reads chunks into two reused buffers (one on the wire, one being filled) and hashes each byte
 * exactly once, in order. Callers never have two reads running at once.
 */
class HashingReader {
  private readonly handle: FileHandle
  private readonly path: string
  private readonly size: number
  private readonly buffers: [Buffer | undefined, Buffer | undefined] = [undefined, undefined]
  private readonly hash: Hash = createHash('sha256')
  private hashed = 0

  constructor(handle: FileHandle, path: string, bufferSize: number) {
    this.handle = handle
    this.path = path
    // A small file gets a buffer its size, not a whole chunk.
    this.size = Math.max(1, bufferSize)
  }

  /** Returns `length` bytes at `offset` (a view of buffer `slot`, valid until its next read). */
  async read(offset: number, length: number, slot: 0 | 1): Promise<Buffer> {
    await this.hashUpTo(offset, slot)
    const view = await this.readExact(offset, length, slot)
    if (offset === this.hashed) {
      this.hash.update(view)
      this.hashed += length
    } else if (offset < this.hashed && offset + length > this.hashed) {
      this.hash.update(view.subarray(this.hashed - offset))
      this.hashed = offset + length
    }
    return view
  }

  /** Hashes whatever was not sent through `read` (a resumed upload's prefix) and returns the digest. */
  async finish(size: number): Promise<string> {
    await this.hashUpTo(size, 0)
    return this.hash.digest('hex')
  }

  private buffer(slot: 0 | 1): Buffer {
    let buffer = this.buffers[slot]
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafe(this.size)
      this.buffers[slot] = buffer
    }
    return buffer
  }

  private async hashUpTo(target: number, slot: 0 | 1): Promise<void> {
    while (this.hashed < target) {
      const length = Math.min(this.size, target - this.hashed)
      const view = await this.readExact(this.hashed, length, slot)
      this.hash.update(view)
      this.hashed += length
    }
  }

  private async readExact(offset: number, length: number, slot: 0 | 1): Promise<Buffer> {
    const buffer = this.buffer(slot)
    let got = 0
    while (got < length) {
      const { bytesRead } = await this.handle.read(buffer, got, length - got, offset + got)
      if (bytesRead === 0) throw new SourceChangedError(this.path, 'became shorter during upload')
      got += bytesRead
    }
    return buffer.subarray(0, length)
  }
}

function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value)
}
