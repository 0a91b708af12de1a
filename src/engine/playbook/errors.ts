/**
 * Errors from Playbook and its storage, as kinds the rest of the engine can act on: pause on auth,
 * back off on quota/server/network, fail one file on validation.
 */

/** What went wrong, in the terms the queue acts on. */
export type PlaybookErrorKind =
  'auth' | 'forbidden' | 'quota' | 'validation' | 'not-found' | 'server' | 'network'

/** One failed call to Playbook or storage. `status` is 0 when no HTTP answer arrived. */
export class PlaybookError extends Error {
  readonly kind: PlaybookErrorKind
  readonly status: number
  readonly retryAfterMs: number | undefined
  readonly body: unknown

  constructor(
    kind: PlaybookErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; body?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PlaybookError'
    this.kind = kind
    this.status = options.status ?? 0
    this.retryAfterMs = options.retryAfterMs
    this.body = options.body
  }
}

/** True for PlaybookError instances (also across module copies). */
export function isPlaybookError(e: unknown): e is PlaybookError {
  return e instanceof PlaybookError || (e instanceof Error && e.name === 'PlaybookError')
}

/** Thrown when a caller's AbortSignal stopped a request: not a failure, just a stop. */
export class AbortedError extends Error {
  constructor(message = 'aborted') {
    super(message)
    this.name = 'AbortedError'
  }
}

/** True when `e` means "stopped on purpose" rather than "failed". */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortedError' || e.name === 'AbortError')
}

/** Maps an HTTP status to the kind the queue acts on. */
export function kindForStatus(status: number): PlaybookErrorKind {
  if (status === 401) return 'auth'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 429) return 'quota'
  if (status === 408) return 'network'
  if (status >= 500) return 'server'
  return 'validation'
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Takes a human message out of an error body: `error`, `errors`, `message`, else the status text. */
export function messageFromBody(body: unknown, fallback: string): string {
  const text = pick(body)
  return text === undefined || text === '' ? fallback : text
}

function pick(body: unknown): string | undefined {
  if (typeof body === 'string') return body.length > 300 ? undefined : body
  if (body === null || typeof body !== 'object') return undefined
  const record = body as Record<string, unknown>
  for (const key of ['error', 'errors', 'message'] as const) {
    const value = record[key]
    if (value === undefined || value === null) continue
    if (typeof value === 'string') return value
    if (Array.isArray(value)) return value.map((v) => pick(v) ?? JSON.stringify(v)).join('; ')
    if (typeof value === 'object') {
      const inner = pick(value)
      if (inner !== undefined) return inner
      return Object.entries(value as Record<string, unknown>)
        .map(([field, v]) => `${field} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join('; ')
    }
  }
  return undefined
}

/** Builds the error for a non-2xx answer. */
export function errorFromResponse(input: {
  readonly status: number
  readonly statusText?: string
  readonly body: unknown
  readonly retryAfter?: string
  readonly what: string
}): PlaybookError {
  const fallback =
    input.statusText !== undefined && input.statusText !== ''
      ? input.statusText
      : `HTTP ${input.status}`
  const message = `${input.what}: ${messageFromBody(input.body, fallback)} (HTTP ${input.status})`
  return new PlaybookError(kindForStatus(input.status), message, {
    status: input.status,
    retryAfterMs: parseRetryAfter(input.retryAfter),
    body: input.body,
  })
}

/** Wraps a socket-level failure (reset, refused, timeout) as a `network` error. */
export function networkError(what: string, cause: unknown): PlaybookError {
  const code = (cause as { code?: unknown } | undefined)?.code
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new PlaybookError(
    'network',
    `${what}: ${typeof code === 'string' ? `${code} ` : ''}${detail}`,
    { cause },
  )
}
