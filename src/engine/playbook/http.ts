/**
 * The one HTTP transport for Playbook and its storage: an undici Agent with keep-alive and
 * timeouts, so every call shares connections and no call can hang forever.
 */
import { Readable } from 'node:stream'
import { Agent, request } from 'undici'
import { AbortedError, networkError } from './errors.ts'

/** An answer, body already read. */
export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly text: string
}

/** One request. `body` may be a stream of chunks (used for throttled uploads). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array | AsyncIterable<Uint8Array>
  readonly signal?: AbortSignal
  /** Overrides the transport's timeout for this call. */
  readonly timeoutMs?: number
  /** What the call is, for error messages (never the URL: it may be signed). */
  readonly what: string
}

/** Sends requests; `close` ends pooled connections. */
export interface Http {
  send(req: HttpRequest): Promise<HttpResponse>
  close(): Promise<void>
}

/** Creates a keep-alive transport; `timeoutMs` bounds connect, headers and body idle times. */
export function createHttp(options: { readonly timeoutMs?: number } = {}): Http {
  const timeoutMs = options.timeoutMs ?? 60_000
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: Math.min(timeoutMs, 30_000) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })
  return {
    async send(req) {
      if (req.signal?.aborted) throw new AbortedError()
      try {
        const res = await request(req.url, {
          method: req.method,
          headers: req.headers,
          body:
            typeof req.body === 'string' || req.body instanceof Uint8Array || req.body === undefined
              ? req.body
              : Readable.from(req.body),
          dispatcher: agent,
          signal: req.signal,
          headersTimeout: req.timeoutMs ?? timeoutMs,
          bodyTimeout: req.timeoutMs ?? timeoutMs,
        })
        const text = await res.body.text()
        return { status: res.statusCode, headers: flattenHeaders(res.headers), text }
      } catch (e) {
        if (req.signal?.aborted) throw new AbortedError()
        throw networkError(req.what, e)
      }
    },
    async close() {
      await agent.close()
    },
  }
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(headers)) {
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Parses a JSON body; undefined for empty or non-JSON text. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** A URL safe for logs: signed URLs and session ids live in the query, so it is dropped. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}${u.search === '' ? '' : '?…'}`
  } catch {
    return '<url>'
  }
}
