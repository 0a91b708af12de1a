/**
 * Small HTTP helpers for the sandbox's node:http routes: JSON bodies in and out, and an error type
 * that carries its status so handlers can `throw` and the server answers `{"error": message}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** A failure with an HTTP status; the server turns it into `{"error": message}`. */
export class HttpError extends Error {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  constructor(
    status: number,
    message: string,
    options?: { headers?: Record<string, string>; body?: unknown },
  ) {
    super(message)
    this.status = status
    this.headers = options?.headers ?? {}
    this.body = options?.body
  }
}

/** Largest JSON body the API accepts. */
const MAX_JSON = 4 * 1024 * 1024

/** Reads and parses a JSON request body; an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = []
  let length = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length
    if (length > MAX_JSON) throw new HttpError(413, 'request body too large')
    parts.push(chunk)
  }
  const text = Buffer.concat(parts).toString('utf8').trim()
  if (text === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'malformed JSON body')
  }
  if (!isRecord(parsed)) throw new HttpError(400, 'JSON body must be an object')
  return parsed
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** Writes an HTML page. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
  })
  res.end(html)
}

/** Discards the rest of a request body so the connection stays usable. */
export function drain(req: IncomingMessage): void {
  if (!req.readableEnded) req.resume()
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** Reads (and drops) up to `bytes` bytes of a request body, then stops; for injected resets. */
export async function readUpTo(req: IncomingMessage, bytes: number): Promise<void> {
  if (bytes <= 0) return
  let seen = 0
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      seen += chunk.length
      if (seen >= bytes) break
    }
  } catch {
    // the client went away first
  }
}
