/**
 * HMAC-signed storage URLs, shaped like GCS V4 signed URLs (X-Goog-Date, X-Goog-Expires,
 * X-Goog-Signature), so a tampered URL is refused (403) and an old one expires (400, as GCS
 * answers `ExpiredToken`) by the sandbox clock. A URL may be signed for one HTTP method, as a V4
 * signature covers the method: used with another, it is refused like a tampered one (403
 * `SignatureDoesNotMatch`), which is how a URL signed for a plain PUT answers a session start.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { HttpError } from './http-util.ts'

/** Formats a time as GCS does in X-Goog-Date: `20260102T030405Z`. */
function googDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function parseGoogDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (!m) return undefined
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  )
}

function signature(
  secret: string,
  path: string,
  date: string,
  expires: string,
  method: string,
): string {
  const bound = method === '' ? '' : `\n${method}`
  return createHmac('sha256', secret).update(`${path}\n${date}\n${expires}${bound}`).digest('hex')
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Returns `baseUrl + path` with signing query parameters valid for `ttlSeconds` from `nowMs`;
 * with `method`, the URL is good for that HTTP method only.
 */
export function signUrl(
  baseUrl: string,
  path: string,
  secret: string,
  nowMs: number,
  ttlSeconds: number,
  method?: string,
): string {
  const date = googDate(nowMs)
  const expires = String(Math.floor(ttlSeconds))
  const sig = signature(secret, path, date, expires, method ?? '')
  return `${baseUrl}${path}?X-Goog-Algorithm=GOOG4-HMAC-SHA256&X-Goog-Date=${date}&X-Goog-Expires=${expires}&X-Goog-Signature=${sig}`
}

/**
 * Throws 403 for a missing or wrong signature (a URL signed for another method included), 400
 * for an expired URL. `method` is the request's.
 */
export function verifySignedUrl(
  path: string,
  query: URLSearchParams,
  secret: string,
  nowMs: number,
  method = '',
): void {
  const date = query.get('X-Goog-Date') ?? ''
  const expires = query.get('X-Goog-Expires') ?? ''
  const sig = query.get('X-Goog-Signature') ?? ''
  const forAny = sameText(sig, signature(secret, path, date, expires, ''))
  const forThis = method !== '' && sameText(sig, signature(secret, path, date, expires, method))
  if (!forAny && !forThis) {
    throw new HttpError(403, 'SignatureDoesNotMatch: the request signature does not match')
  }
  const start = parseGoogDate(date)
  const ttl = Number(expires)
  if (start === undefined || !Number.isFinite(ttl) || nowMs > start + ttl * 1000) {
    throw new HttpError(400, 'ExpiredToken: the signed URL has expired')
  }
}
