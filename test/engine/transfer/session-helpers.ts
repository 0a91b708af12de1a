/**
 * What the GCS sender specs (chunked and streamed) share: a fresh resumable session on the
 * sandbox with a transport that records each request's Content-Range, and an in-place rewrite
 * of a file that puts its mtime back.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, utimesSync, writeSync } from 'node:fs'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { startSession } from '../../../src/engine/transfer/gcs-session.ts'
import type { World } from './sandbox-helpers.ts'

/** The media type every session of these specs uses. */
export const mediaType = 'application/octet-stream'

/** A session URL, the recording transport, and the Content-Range of each request sent. */
export interface RecordedSession {
  readonly url: string
  readonly http: Http
  readonly ranges: string[]
}

/**
 * A fresh session for `size` bytes; `onSend(index)` runs (awaited) before request `index` goes
 * out, so a spec can change the file at a chosen point.
 */
export async function recordedSession(
  world: World,
  size: number,
  onSend?: (index: number) => Promise<void>,
): Promise<RecordedSession> {
  const client = world.client()
  const prepared = await client.uploadPrepare(
    world.sandbox.org,
    { title: 'x.bin', media_type: mediaType, size },
    undefined,
  )
  const url = await startSession(client.http, {
    uploadUrl: prepared.upload_url ?? '',
    mediaType,
    orgMetadata: prepared.encrypted_organization_metadata ?? null,
  })
  const ranges: string[] = []
  const http: Http = {
    async send(req) {
      ranges.push(req.headers?.['content-range'] ?? '')
      await onSend?.(ranges.length - 1)
      return client.http.send(req)
    },
    close: () => client.http.close(),
  }
  return { url, http, ranges }
}

/**
 * Rewrites one 256 KiB block of the file in place and puts its mtime back (as `touch -r` does).
 * Synchronous, so no read of the uploader can see the file between the two steps.
 */
export function rewriteInPlace(path: string, at: number, mtimeMs: number): void {
  const block = 256 * 1024
  const fd = openSync(path, 'r+')
  writeSync(fd, randomBytes(block), 0, block, at)
  closeSync(fd)
  utimesSync(path, mtimeMs / 1000, mtimeMs / 1000)
}

/**
 * The fields every sender spec passes for a file and its recorded session (the file's facts, the
 * session, the media type), to be spread into `uploadFile` or `uploadStreaming` input.
 */
export function sessionInput(
  file: { readonly path: string; readonly size: number; readonly mtimeMs: number },
  recorded: Pick<RecordedSession, 'url' | 'http'>,
): {
  http: Http
  sessionUrl: string
  path: string
  size: number
  mtimeMs: number
  mediaType: string
} {
  return {
    http: recorded.http,
    sessionUrl: recorded.url,
    path: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    mediaType,
  }
}
