/**
 * A file (or a range of it) sent to a pre-signed URL in one streamed PUT, hashed as it is read.
 * Seed 003 calls `upload_url` "usually a pre-signed PUT URL"; Backblaze's single uploads and
 * parts are such URLs too. A PUT cannot be resumed: after a failure it is sent again whole (the
 * last PUT wins, so a repeat never makes a second object). What storage took is only allowed to
 * be completed when the file still is, byte for byte, the content that was decided.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { errorFromResponse } from '../playbook/errors.ts'
import { parseJson } from '../playbook/http.ts'
import type { Http } from '../playbook/http.ts'
import type { Throttle } from './throttle.ts'
import {
  RestartFromPrepareError,
  SourceChangedError,
  SourceUnreadableError,
} from './transfer-errors.ts'

/** What a PUT of a file's bytes needs. */
export interface SignedPutInput {
  readonly http: Http
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  readonly mediaType: string
  /** The content that was decided; completion is only allowed when the file still is it. */
  readonly expectedSha256: string | null
  /** Headers storage expects beside the content type (seed 002's `x-goog-meta-…`). */
  readonly headers?: Readonly<Record<string, string>>
  readonly throttle?: Throttle
  readonly signal?: AbortSignal
  /** Told the file offset reached as bytes are handed to the connection (not persisted). */
  readonly onSent?: (bytes: number) => void
}

/**
 * Sends the whole file to `url` in one PUT; resolves with its sha256 once storage took it and
 * the file, read again, is still what was decided.
 */
export async function putWholeFile(
  input: SignedPutInput,
  url: string,
): Promise<{ readonly sha256: string }> {
  await checkUnchanged(input)
  const sha256 = await putRange(input, url, 0, input.size, 'storage PUT')
  await checkUnchanged(input)
  if (input.expectedSha256 !== null && sha256 !== input.expectedSha256) {
    throw new SourceChangedError(input.path, 'content differs from when it was queued')
  }
  return { sha256 }
}

/** Streams bytes [start, end) of the file to `url` in one PUT; resolves with their sha256. */
export async function putRange(
  input: SignedPutInput,
  url: string,
  start: number,
  end: number,
  what: string,
): Promise<string> {
  const hash = createHash('sha256')
  const { throttle, signal, onSent } = input
  async function* body(): AsyncGenerator<Uint8Array> {
    let at = start
    for await (const chunk of readRange(input.path, start, end)) {
      if (throttle !== undefined) await throttle.take(chunk.length, signal)
      hash.update(chunk)
      yield chunk
      at += chunk.length
      onSent?.(at)
    }
  }
  const res = await input.http.send({
    method: 'PUT',
    url,
    headers: {
      ...input.headers,
      'content-type': input.mediaType,
      'content-length': String(end - start),
    },
    body: end > start ? body() : '',
    ...(signal === undefined ? {} : { signal }),
    what,
  })
  if (res.status >= 200 && res.status < 300) return hash.digest('hex')
  if ([400, 403, 404, 410].includes(res.status)) {
    throw new RestartFromPrepareError(
      `storage refused the ${what} (HTTP ${res.status}); preparing again`,
    )
  }
  throw errorFromResponse({
    status: res.status,
    body: parseJson(res.text),
    retryAfter: res.headers['retry-after'],
    what,
  })
}

/** Reads bytes [start, end) of a file; a file that became shorter is a changed source. */
export async function* readRange(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  if (end <= start) return
  try {
    const stream = createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 })
    let got = 0
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      got += chunk.length
      yield chunk
    }
    if (got !== end - start) throw new SourceChangedError(path, 'the file became shorter')
  } catch (e) {
    if (e instanceof SourceChangedError) throw e
    throw new SourceUnreadableError(path, e instanceof Error ? e.message : String(e))
  }
}

/** Throws SourceChangedError when the file's size or modification time moved since it was queued. */
export async function checkUnchanged(
  input: Pick<SignedPutInput, 'path' | 'size' | 'mtimeMs'>,
): Promise<void> {
  let st
  try {
    st = await stat(input.path)
  } catch (e) {
    throw new SourceUnreadableError(input.path, e instanceof Error ? e.message : String(e))
  }
  if (st.size !== input.size || Math.abs(st.mtimeMs - input.mtimeMs) > 1) {
    throw new SourceChangedError(input.path, 'the file changed while it was uploaded')
  }
}
