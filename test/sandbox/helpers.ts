/** Shared helpers for the sandbox contract tests: real HTTP against a started sandbox. */
import { createHash } from 'node:crypto'
import type { SandboxAssetView } from '../../src/sandbox/context.ts'
import type { SandboxInfo } from '../../src/sandbox/index.ts'

/** Any running sandbox (in process or a child's info line). */
type Sandbox = SandboxInfo

/** A response with its parsed JSON body (undefined when the body is not JSON). */
export interface JsonResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Calls the API with the sandbox's write token (or `token`). */
export async function api(
  sb: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = sb.token,
): Promise<JsonResponse> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

/** Deterministic pseudo-random bytes. */
export function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length)
  let x = seed * 2654435761
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

export function md5b64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64')
}

/** upload_prepare; returns the data block. */
export async function prepare(
  sb: Sandbox,
  title: string,
  size: number,
  mediaType = 'application/octet-stream',
): Promise<{
  upload_url: string
  signed_gcs_id: string
  encrypted_organization_metadata: string
  file_extension: string
}> {
  const res = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_prepare`, {
    asset: { title, media_type: mediaType, size },
  })
  if (res.status !== 200) throw new Error(`prepare: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.data
}

/** Opens a resumable session for a prepared upload; returns the session URL. */
export async function startSession(
  prep: { upload_url: string; encrypted_organization_metadata: string },
  mediaType = 'application/octet-stream',
): Promise<string> {
  const res = await fetch(prep.upload_url, {
    method: 'POST',
    headers: {
      'x-goog-resumable': 'start',
      'Content-Type': mediaType,
      'x-goog-meta-encrypted-organization-metadata': prep.encrypted_organization_metadata,
    },
  })
  if (res.status !== 201) throw new Error(`session start: ${res.status} ${await res.text()}`)
  return res.headers.get('location') as string
}

/** PUTs one chunk (or a status query when `data` is empty and `range` is `bytes *\/N`). */
export async function putChunk(
  session: string,
  range: string | undefined,
  data: Buffer = Buffer.alloc(0),
): Promise<{ status: number; range: string | null; body: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' }
  if (range !== undefined) headers['Content-Range'] = range
  const res = await fetch(session, { method: 'PUT', headers, body: data })
  return { status: res.status, range: res.headers.get('range'), body: await res.text() }
}

/** Uploads `data` whole through prepare → session → one PUT; returns the signed_gcs_id. */
export async function uploadObject(
  sb: Sandbox,
  title: string,
  data: Buffer,
  mediaType = 'application/octet-stream',
): Promise<string> {
  const prep = await prepare(sb, title, data.length, mediaType)
  const session = await startSession(prep, mediaType)
  const done = await putChunk(
    session,
    data.length === 0 ? 'bytes */0' : `bytes 0-${data.length - 1}/${data.length}`,
    data,
  )
  if (done.status !== 200) throw new Error(`upload: ${done.status} ${done.body}`)
  return prep.signed_gcs_id
}

/** The admin view of stored assets. */
export async function adminAssets(sb: Sandbox, board?: string): Promise<SandboxAssetView[]> {
  const res = await fetch(`${sb.url}/__sandbox/assets${board ? `?board=${board}` : ''}`)
  return ((await res.json()) as { data: SandboxAssetView[] }).data
}

/** POSTs JSON to an admin route. */
export async function admin(
  sb: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse> {
  return api(sb, method, `/__sandbox/${path}`, body, null)
}

/** Polls until `check` returns a value (bounded). */
export async function eventually<T>(check: () => Promise<T | undefined>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('condition not reached')
}
