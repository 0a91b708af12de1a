/**
 * GCS resumable upload (seed 002): start a session, stream the file chunk by chunk, trust only
 * the offset the server reports, resume with a status query. Two reusable buffers per transfer
 * keep memory flat; the bytes storage confirmed are hashed (sha256) as they are confirmed, and the
 * object is only finished once that hash is the content that was decided.
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import type { PlaybookError } from '../playbook/errors.ts'
import { AbortedError, errorFromResponse } from '../playbook/errors.ts'
import type { Http, HttpResponse } from '../playbook/http.ts'
import { parseJson } from '../playbook/http.ts'
import type { Sleep } from '../playbook/retry.ts'
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
import type { SentMark, SourceFacts } from './gcs-checks.ts'
import { NotResumableError, RestartFromPrepareError } from './transfer-errors.ts'
import { ChunkReader } from './source-reader.ts'
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

/**
 * Starts a resumable session; returns the session URL (Location). No Authorization is sent.
 * A URL that is not for sessions (403/405, as a URL signed for PUT answers a POST, or 404; or a
 * success without a Location) throws NotResumableError; an expired one (400, 410) means preparing
 * again.
 */
export async function startSession(http: Http, input: SessionStartInput): Promise<string> {
  const headers: Record<string, string> = {
    'x-goog-resumable': 'start',
    'content-type': input.mediaType,
    'content-length': '0',
    ...storageMetaHeaders(input),
  }
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
      throw new NotResumableError(res.status, 'storage opened no resumable session (no Location)')
    return new URL(location, input.uploadUrl).toString()
  }
  if ([403, 404, 405].includes(res.status)) {
    throw new NotResumableError(
      res.status,
      `storage refused a resumable session on this upload URL (HTTP ${res.status})`,
    )
  }
  if ([400, 410].includes(res.status)) {
    throw new RestartFromPrepareError(
      `storage rejected the signed upload URL (HTTP ${res.status}); preparing again`,
    )
  }
  throw storageError(res, 'storage session start')
}

/** Seed 002's `x-goog-meta-…` headers for the request that creates the object (empty ones left out). */
export function storageMetaHeaders(
  input: Pick<SessionStartInput, 'orgMetadata' | 'extension'>,
): Record<string, string> {
  const headers: Record<string, string> = {}
  if (input.orgMetadata) headers['x-goog-meta-encrypted-organization-metadata'] = input.orgMetadata
  if (input.extension) headers['x-goog-meta-extension'] = headerSafe(input.extension)
  return headers
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

/** Reads storage's answer to a PUT on a session: stored so far, finished, or gone. */
export function interpret(res: HttpResponse, what: string): SessionStatus {
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
export interface UploadFileInput extends SourceFacts {
  readonly http: Http
  readonly sessionUrl: string
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  readonly mediaType: string
  /**
   * The content the caller decided to upload. The last chunk (which finishes the object) is only
   * sent once the bytes sent plus that chunk hash to it; without it, to the file's bytes as they
   * are at that moment.
   */
  readonly expectedSha256?: string | null
  /** Bytes already confirmed (persisted); the server is asked before trusting it. */
  readonly confirmed: number
  /** The mark recorded by an earlier run on this session (null: nothing sent yet). */
  readonly sentMark?: SentMark | null
  /** Chunked sending (`uploadFile`): bytes per request, each confirmed before the next. */
  readonly chunkSize: number
  readonly throttle?: Throttle
  readonly signal?: AbortSignal
  readonly sleep?: Sleep
  readonly random?: () => number
  /** The wall clock (ms), for how old the file's stamp is when it is opened; tests move it. */
  readonly now?: () => number
  /** Consecutive failed tries without progress before giving up with the last error. */
  readonly maxStalls?: number
  /** Called with each newly confirmed offset; awaited (the queue persists it). */
  readonly onConfirmed: (bytes: number) => void | Promise<void>
  /** Called before each chunk is sent with the mark it makes; awaited (the queue persists it). */
  readonly onSending?: (mark: SentMark) => void | Promise<void>
  /**
   * Called as bytes are handed to the connection with the session offset they reach (not
   * persisted, not awaited): progress that moves before storage confirms anything.
   */
  readonly onSent?: (bytes: number) => void
}

export type { SentMark } from './gcs-checks.ts'

/**
 * Uploads the rest of a file to its session; resolves with the sha256 of the bytes storage holds
 * once it has all of them. The hash follows exactly the bytes storage confirmed (from the buffers
 * that were sent), and the chunk that finishes the object is held back until that hash equals the
 * decided content: a file rewritten mid-upload can never become a finished mix of two versions.
 * Still one chunk request in flight at a time, but while it is on the wire the next chunk is read
 * into a second buffer, so the socket does not wait for the disk.
 */
export async function uploadFile(input: UploadFileInput): Promise<{ readonly sha256: string }> {
  const handle = await openSource(input)
  const reader = new ChunkReader(handle, input.path, Math.min(input.chunkSize, input.size))
  let prefetch: Prefetch | undefined
  try {
    const opened = await stampSource(handle, (input.now ?? Date.now)())
    let mark: SentMark | null = input.sentMark ?? null
    // Hash of storage's bytes [0, offset); unknown until storage is asked on a used session.
    let sent: Hash | undefined
    let offset = 0
    let lastSent: { readonly offset: number; readonly data: Buffer } | undefined
    let stalls = 0
    let needQuery = input.confirmed > 0 || mark !== null
    if (!needQuery) sent = createHash('sha256')
    // openSource has just checked the file; later chunks check it again before they are sent.
    let checked = true

    for (;;) {
      if (input.signal?.aborted) throw new AbortedError()
      try {
        if (needQuery) {
          const status = await querySession(input.http, input.sessionUrl, input.size, input.signal)
          needQuery = false
          if (status.kind === 'complete') return await vouchForFinished(input, mark)
          const stored = status.stored
          if (stored > input.size) throw contradiction(`${stored} bytes of ${input.size}`)
          if (sent === undefined || stored < offset) {
            if (prefetch !== undefined) await prefetch.data.catch(() => undefined)
            prefetch = undefined
            sent = await vouchFor(reader, input, mark, stored)
            offset = stored
            await input.onConfirmed(offset)
          } else if (stored > offset) {
            if (
              lastSent === undefined ||
              lastSent.offset !== offset ||
              stored > offset + lastSent.data.length
            )
              throw contradiction(`${stored} bytes stored, ${offset} confirmed`)
            sent.update(lastSent.data.subarray(0, stored - offset))
            offset = stored
            await input.onConfirmed(offset)
          }
        }
        const hash = sent as Hash
        const ahead = prefetch
        prefetch = undefined
        const useAhead = ahead !== undefined && ahead.offset === offset
        // A prefetched chunk was checked against the file while the previous one was on the wire.
        if (!checked && !useAhead) await checkUnchanged(input)
        checked = false
        if (input.size === 0) {
          await holdBackUnlessDecided(input, EMPTY_SHA256, async () => EMPTY_SHA256)
          mark = { end: 0, sha256: EMPTY_SHA256 }
          await input.onSending?.(mark)
          const result = await sendEmpty(input)
          if (result.kind === 'complete') return { sha256: EMPTY_SHA256 }
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
        const end = offset + length
        const candidate = hash.copy().update(chunk).digest('hex')
        if (end === input.size) {
          const prefixSha = hash.copy().digest('hex')
          const at = offset
          await holdBackUnlessDecided(input, candidate, () =>
            hashOfFileNow(input, opened, candidate, async () => {
              const now = await reader.hashPrefix(at, at, slot === 0 ? 1 : 0)
              return now.full === prefixSha ? candidate : `${now.full} (prefix)`
            }),
          )
        }
        mark = { end, sha256: candidate }
        await input.onSending?.(mark)
        lastSent = { offset, data: chunk }
        const sentNow = sendChunk(input, chunk, offset)
        if (end < input.size) {
          const other: 0 | 1 = slot === 0 ? 1 : 0
          const nextLength = Math.min(input.chunkSize, input.size - end)
          const data = reader.read(end, nextLength, other).then(async (view) => {
            await checkUnchanged(input)
            return view
          })
          // Awaited (or settled) before any use; a failure surfaces when the chunk is needed.
          data.catch(() => undefined)
          prefetch = { offset: end, length: nextLength, slot: other, data }
        }
        const result = await sentNow
        if (result.kind === 'complete') {
          if (end !== input.size) throw contradiction(`finished after ${end} of ${input.size}`)
          // A file that changed meanwhile is not completed: its newer version is decided anew.
          await checkUnchanged(input)
          return { sha256: candidate }
        }
        if (result.stored < offset || result.stored > end)
          throw contradiction(`${result.stored} bytes after sending ${offset}-${end - 1}`)
        if (result.stored > offset) stalls = 0
        else {
          // Storage answered the chunk without taking any of it: back off like a failure.
          const stalled = contradiction(`no progress past ${offset} of ${input.size}`)
          stalls++
          if (stalls >= (input.maxStalls ?? 6)) throw stalled
          const random = input.random ?? Math.random
          await (input.sleep ?? realSleep)(stallDelayMs(stalled, stalls, random), input.signal)
        }
        hash.update(chunk.subarray(0, result.stored - offset))
        offset = result.stored
        lastSent = undefined
        await input.onConfirmed(offset)
      } catch (e) {
        stalls = await backOffAfter(e, stalls, input)
        needQuery = true
      }
    }
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

/** Finishes an empty object (a zero-byte file has no chunk to send). */
export async function sendEmpty(input: UploadFileInput): Promise<SessionStatus> {
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
    body: reported(
      input.throttle === undefined ? pieces(chunk) : throttled(chunk, input.throttle, input.signal),
      offset,
      input.onSent,
    ),
    signal: input.signal,
    what: 'storage upload',
  })
  return interpret(res, 'storage upload')
}

/** A chunk as 256 KiB views, so the bytes sent can be told as they go. */
function* pieces(chunk: Buffer): Generator<Uint8Array> {
  const piece = 256 * 1024
  for (let i = 0; i < chunk.length; i += piece)
    yield chunk.subarray(i, Math.min(chunk.length, i + piece))
}

/** Passes `pieces` on, telling `onSent` the offset reached after each is taken by the transport. */
async function* reported(
  pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  from: number,
  onSent: ((bytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  let at = from
  for await (const piece of pieces) {
    yield piece
    at += piece.length
    onSent?.(at)
  }
}

function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value)
}
