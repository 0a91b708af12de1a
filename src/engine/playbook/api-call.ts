/**
 * One request to the Playbook API, made the same way for every call: the bearer (the user's
 * token read per call, none, or a one-off token), Playbook's clock from the `Date` header, error
 * answers as PlaybookErrors, and retries by the call's kind. The token is never logged.
 */
import type { Logger } from '../engine-types.ts'
import { PlaybookError, errorFromResponse } from './errors.ts'
import { parseJson } from './http.ts'
import type { Http } from './http.ts'
import { withRetry } from './retry.ts'
import type { RetryPolicy, Sleep } from './retry.ts'

/** HTTP methods an API call may use. */
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** How one call is made (auth, retries, accepted error statuses, timeout). */
export interface CallOptions {
  readonly body?: unknown
  readonly auth?: 'user' | 'none' | { readonly bearer: string }
  /** 'all' = retry retryable errors; 'quota' = only 429 (non-idempotent calls). */
  readonly retry?: 'all' | 'quota' | 'none'
  readonly signal?: AbortSignal
  /** Statuses whose body is returned instead of thrown. */
  readonly acceptStatus?: readonly number[]
  /** Overrides the transport's timeout (completions: a slow server must not cause a repeat). */
  readonly timeoutMs?: number
}

/** What the caller needs: where, over which transport, whose token, and how to retry. */
export interface ApiCallerOptions {
  readonly baseUrl: string
  readonly http: Http
  readonly getToken: () => string | undefined
  readonly log?: Logger
  readonly retryPolicy?: RetryPolicy
  readonly sleep?: Sleep
  readonly random?: () => number
}

/** Makes calls and keeps Playbook's clock as its latest answer showed it. */
export interface ApiCaller {
  call(
    method: ApiMethod,
    path: string,
    opts?: CallOptions,
  ): Promise<{ status: number; body: unknown }>
  /** Playbook's clock now, from the latest answer's `Date` header (undefined until one arrived). */
  serverNow(): number | undefined
}

/** Creates the caller the client's endpoints share (one clock, one retry policy). */
export function createApiCaller(options: ApiCallerOptions): ApiCaller {
  const { baseUrl, http, log } = options
  /** Server clock minus local clock, from the latest answer's `Date` header. */
  let skewMs: number | undefined
  /**
   * The seeds show both `/v1/…` (seed 002, Playbook's SDK) and `/api/v1/…` (seed 003). `/v1/…`
   * is tried first; until a `/v1/…` call gets anything but a 404, a 404 is tried once more under
   * `/api`, and whichever prefix answers is kept. A 404 is a definite answer (nothing was done),
   * so trying the other path repeats nothing.
   */
  let prefix: { readonly known: boolean; readonly value: '' | '/api' } = { known: false, value: '' }

  async function call(
    method: ApiMethod,
    path: string,
    opts: CallOptions = {},
  ): Promise<{ status: number; body: unknown }> {
    const what = `${method} ${path.split('?')[0]}`
    const once = async (): Promise<{ status: number; body: unknown }> => {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (opts.body !== undefined) headers['content-type'] = 'application/json'
      const auth = opts.auth ?? 'user'
      if (auth === 'user') {
        const token = options.getToken()
        if (token === undefined || token === '')
          throw new PlaybookError('auth', `${what}: not signed in`, { status: 401 })
        headers.authorization = `Bearer ${token}`
      } else if (auth !== 'none') {
        headers.authorization = `Bearer ${auth.bearer}`
      }
      const started = Date.now()
      const send = (under: '' | '/api') =>
        http.send({
          method,
          url: `${baseUrl}${under}${path}`,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: opts.signal,
          what,
          ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
        })
      const versioned = path.startsWith('/v1/')
      let res = await send(versioned ? prefix.value : '')
      if (versioned && !prefix.known) {
        if (res.status !== 404) prefix = { known: true, value: prefix.value }
        else if (!(opts.acceptStatus ?? []).includes(404)) {
          const other = await send('/api')
          if (other.status !== 404) {
            prefix = { known: true, value: '/api' }
            log?.info('playbook api prefix', { prefix: '/api/v1' })
            res = other
          }
        }
      }
      const date = Date.parse(res.headers.date ?? '')
      // `Date` has whole seconds: the server's time was somewhere in [date, date + 1 s).
      if (Number.isFinite(date)) skewMs = date + 500 - Date.now()
      const body = parseJson(res.text)
      log?.info('playbook api', { call: what, status: res.status, ms: Date.now() - started })
      if (res.status >= 400 && !(opts.acceptStatus ?? []).includes(res.status)) {
        throw errorFromResponse({
          status: res.status,
          body,
          retryAfter: res.headers['retry-after'],
          what,
        })
      }
      return { status: res.status, body }
    }
    const retry = opts.retry ?? 'all'
    if (retry === 'none') return once()
    return withRetry(once, {
      policy: options.retryPolicy,
      sleep: options.sleep,
      random: options.random,
      signal: opts.signal,
      retryOn:
        retry === 'quota' ? (e) => e instanceof PlaybookError && e.kind === 'quota' : undefined,
      onRetry: (e, failures, delayMs) =>
        log?.warn('playbook api retry', {
          call: what,
          failures,
          delayMs,
          error: e instanceof Error ? e.message : String(e),
        }),
    })
  }

  return {
    call,
    serverNow() {
      return skewMs === undefined ? undefined : Date.now() + skewMs
    },
  }
}
