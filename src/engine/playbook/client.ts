/**
 * The typed Playbook API client: every call the app, CLI and queue make, with validated answers
 * (wrapped `{data}` or bare), typed errors and retries for idempotent calls only. The access
 * token is read per call (so a new sign-in takes effect at once) and never logged.
 */
import type { z } from 'zod'
import type { Logger } from '../engine-types.ts'
import { PlaybookError, errorFromResponse } from './errors.ts'
import { createHttp, parseJson } from './http.ts'
import type { Http } from './http.ts'
import { withRetry } from './retry.ts'
import type { RetryPolicy, Sleep } from './retry.ts'
import {
  assetSchema,
  batchPrepareSchema,
  batchRowSchema,
  boardSchema,
  bootstrapSchema,
  orgSchema,
  pagySchema,
  prepareSchema,
  tokenSchema,
} from './schemas.ts'
import type {
  AssetRecord,
  BatchPrepareRecord,
  BatchRow,
  BoardRecord,
  BootstrapRecord,
  OrgRecord,
  Pagy,
  PrepareRecord,
  TokenRecord,
} from './schemas.ts'

/** One page of a list answer. */
export interface Page<T> {
  readonly items: readonly T[]
  readonly pagy: Pagy | undefined
}

/** A file to prepare in a batch; `uuid` comes back on its row. */
export interface BatchPrepareItem {
  readonly uuid: string
  readonly title: string
  readonly size: number
  readonly media_type: string
}

/** A row to complete in a batch. */
export interface BatchCompleteItem {
  readonly uuid: string
  readonly signed_gcs_id: string
  readonly title: string
  readonly media_type: string
  readonly description?: string
  /** Backblaze multipart uploads only (seed 003). */
  readonly multipart_upload_id?: string
}

/** The calls, grouped as the API notes list them. `org` is always the organization slug. */
export interface PlaybookClient {
  readonly baseUrl: string
  /** The shared transport (storage uploads reuse its connections). */
  readonly http: Http
  organizations(): Promise<readonly OrgRecord[]>
  boards(
    org: string,
    query?: { page?: number; perPage?: number; depth?: 'all'; query?: string },
  ): Promise<Page<BoardRecord>>
  /** Every board (depth=all), all pages. */
  allBoards(org: string, query?: string): Promise<readonly BoardRecord[]>
  asset(org: string, token: string, signal?: AbortSignal): Promise<AssetRecord>
  boardAssets(
    org: string,
    board: string,
    query?: { page?: number; perPage?: number },
    signal?: AbortSignal,
  ): Promise<Page<AssetRecord>>
  /**
   * Every asset on a board (all pages). Used to find what an unanswered completion created and
   * which files a board already holds; reads only documented fields (docs/api-notes.md).
   */
  allBoardAssets(org: string, board: string, signal?: AbortSignal): Promise<readonly AssetRecord[]>
  /**
   * Playbook's clock now, estimated from the `Date` header of its latest answer (undefined until
   * one arrived). Completion windows are measured on it, so a wrong local clock cannot hide an
   * asset the server created.
   */
  serverNow(): number | undefined
  createAssetFromUrl(
    org: string,
    asset: {
      uri: string
      title?: string
      description?: string
      collection_token: string
      as_link?: boolean
    },
    signal?: AbortSignal,
  ): Promise<AssetRecord>
  batchCreateFromUrls(
    org: string,
    batch: {
      collection_token: string
      assets: readonly { uuid: string; uri: string; title?: string; as_link?: boolean }[]
    },
    signal?: AbortSignal,
  ): Promise<readonly BatchRow[]>
  uploadPrepare(
    org: string,
    asset: { title: string; media_type: string; size: number },
    signal?: AbortSignal,
  ): Promise<PrepareRecord>
  batchUploadPrepare(
    org: string,
    assets: readonly BatchPrepareItem[],
    signal?: AbortSignal,
  ): Promise<BatchPrepareRecord>
  /** Never retried except on 429 (a retry after an ambiguous failure could duplicate the asset). */
  uploadComplete(
    org: string,
    asset: {
      signed_gcs_id: string
      title: string
      media_type: string
      size: number
      collection_token: string
      description?: string
      multipart_upload_id?: string
    },
    signal?: AbortSignal,
  ): Promise<AssetRecord>
  /** Rows succeed or fail one by one; a 4xx whose body carries rows is returned as rows. */
  batchUploadComplete(
    org: string,
    batch: { batch_id?: string; collection_token: string; assets: readonly BatchCompleteItem[] },
    signal?: AbortSignal,
  ): Promise<readonly BatchRow[]>
  requestMagicLink(input: { email: string; redirect_uri: string }): Promise<void>
  exchangeMagicLinkCode(code: string): Promise<TokenRecord>
  /** Partner bootstrap (seed 000); `integrationToken` is the bearer for this call only. */
  bootstrap(integrationToken: string, payload: Record<string, unknown>): Promise<BootstrapRecord>
  /**
   * The one door to routes whose REST shape is assumed (docs/api-notes.md, "Assumed"): only the
   * modules in ./assumed/ call it, so a wrong guess is fixed in one place. Same auth, clock and
   * retry rules as every call; `path` starts at `/v1/`. Failures are PlaybookErrors (a route the
   * server lacks is recognised by ./assumed/route-missing.ts).
   */
  assumedCall(
    method: AssumedMethod,
    path: string,
    options?: AssumedCallOptions,
  ): Promise<AssumedAnswer>
  close(): Promise<void>
}

/** HTTP methods an assumed route may use. */
export type AssumedMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** How an assumed call is made: a JSON body, and 'quota' retries only for calls that create. */
export interface AssumedCallOptions {
  readonly body?: unknown
  readonly retry?: 'all' | 'quota' | 'none'
  readonly signal?: AbortSignal
}

/** An assumed call's answer (status and parsed body, envelope kept). */
export interface AssumedAnswer {
  readonly status: number
  readonly body: unknown
}

/** How to build a client. */
export interface PlaybookClientOptions {
  readonly baseUrl: string
  readonly getToken: () => string | undefined
  readonly timeoutMs?: number
  readonly log?: Logger
  readonly http?: Http
  readonly retryPolicy?: RetryPolicy
  readonly sleep?: Sleep
  readonly random?: () => number
}

interface CallOptions {
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

/**
 * How long a completion may take before the client gives up waiting. Generous on purpose: a
 * server that answers late but succeeds must not be treated as a failure (that path costs a
 * board listing and a grace period, never a blind repeat, but it is slower).
 */
export const COMPLETE_TIMEOUT_MS = 5 * 60_000

/** Creates the client. */
export function createPlaybookClient(options: PlaybookClientOptions): PlaybookClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const http = options.http ?? createHttp({ timeoutMs: options.timeoutMs ?? 30_000 })
  const ownsHttp = options.http === undefined
  const log = options.log
  /** Server clock minus local clock, from the latest answer's `Date` header. */
  let skewMs: number | undefined

  async function call(
    method: AssumedMethod,
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
      const res = await http.send({
        method,
        url: `${baseUrl}${path}`,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
        what,
        ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      })
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

  const org = (slug: string): string => `/v1/${encodeURIComponent(slug)}`

  const self: PlaybookClient = {
    baseUrl,
    http,
    async organizations() {
      const { body } = await call('GET', '/v1/organizations')
      return parse(orgSchema.array(), unwrap(body), 'organizations')
    },
    async boards(slug, q = {}) {
      const { body } = await call(
        'GET',
        `${org(slug)}/boards${query({ page: q.page, per_page: q.perPage, depth: q.depth, query: q.query })}`,
      )
      return { items: parse(boardSchema.array(), unwrap(body), 'boards'), pagy: pagyOf(body) }
    },
    async allBoards(slug, q) {
      return collectPages((page) =>
        self.boards(slug, { page, perPage: 100, depth: 'all', query: q }),
      )
    },
    async asset(slug, token, signal) {
      const { body } = await call('GET', `${org(slug)}/assets/${encodeURIComponent(token)}`, {
        signal,
      })
      return parse(assetSchema, unwrap(body), 'asset')
    },
    async boardAssets(slug, board, q = {}, signal) {
      const path = `${org(slug)}/boards/${encodeURIComponent(board)}/assets${query({ page: q.page, per_page: q.perPage })}`
      const { body } = await call('GET', path, { signal })
      return { items: parse(assetSchema.array(), unwrap(body), 'board assets'), pagy: pagyOf(body) }
    },
    async allBoardAssets(slug, board, signal) {
      return collectPages((page) => self.boardAssets(slug, board, { page, perPage: 100 }, signal))
    },
    serverNow() {
      return skewMs === undefined ? undefined : Date.now() + skewMs
    },
    async createAssetFromUrl(slug, asset, signal) {
      const { body } = await call('POST', `${org(slug)}/assets`, {
        body: { asset },
        retry: 'quota',
        signal,
      })
      return parse(assetSchema, unwrap(body), 'create asset')
    },
    async batchCreateFromUrls(slug, batch, signal) {
      const { body } = await call('POST', `${org(slug)}/assets/batch_create_from_urls`, {
        body: { batch },
        retry: 'quota',
        signal,
      })
      return parse(batchRowSchema.array(), unwrap(body), 'batch_create_from_urls')
    },
    async uploadPrepare(slug, asset, signal) {
      const { body } = await call('POST', `${org(slug)}/assets/upload_prepare`, {
        body: { asset },
        signal,
      })
      return parse(prepareSchema, unwrap(body), 'upload_prepare')
    },
    async batchUploadPrepare(slug, assets, signal) {
      const { body } = await call('POST', `${org(slug)}/assets/batch_upload_prepare`, {
        body: { batch: { assets } },
        signal,
      })
      return parse(batchPrepareSchema, unwrap(body), 'batch_upload_prepare')
    },
    async uploadComplete(slug, asset, signal) {
      const { body } = await call('POST', `${org(slug)}/assets/upload_complete`, {
        body: { asset },
        retry: 'quota',
        signal,
        timeoutMs: COMPLETE_TIMEOUT_MS,
      })
      return parse(assetSchema, unwrap(body), 'upload_complete')
    },
    async batchUploadComplete(slug, batch, signal) {
      const { status, body } = await call('POST', `${org(slug)}/assets/batch_upload_complete`, {
        body: { batch },
        retry: 'quota',
        signal,
        // A batch refused as a whole may still carry one row per file: read them.
        acceptStatus: [400, 404, 406, 409, 410, 422],
        timeoutMs: COMPLETE_TIMEOUT_MS,
      })
      const rows = batchRowSchema.array().safeParse(unwrap(body))
      if (!rows.success) {
        if (status >= 400)
          throw errorFromResponse({ status, body, what: 'POST batch_upload_complete' })
        throw invalid('batch_upload_complete', rows.error, status)
      }
      return rows.data
    },
    async requestMagicLink(input) {
      await call('POST', '/v1/auth/magic_link', { body: input, auth: 'none', retry: 'quota' })
    },
    async exchangeMagicLinkCode(code) {
      const { body } = await call('POST', '/v1/auth/token', {
        body: { grant_type: 'magic_link', code },
        auth: 'none',
        retry: 'quota',
      })
      return parse(tokenSchema, unwrap(body), 'auth token')
    },
    async bootstrap(integrationToken, payload) {
      const { body } = await call('POST', '/api/partner/bootstrap', {
        body: payload,
        auth: { bearer: integrationToken },
        retry: 'quota',
      })
      return parse(bootstrapSchema, unwrap(body), 'bootstrap')
    },
    async assumedCall(method, path, opts = {}) {
      return call(method, path, {
        ...(opts.body === undefined ? {} : { body: opts.body }),
        retry: opts.retry ?? (method === 'GET' ? 'all' : 'quota'),
        ...(opts.signal ? { signal: opts.signal } : {}),
        // A version is a completion: it may take as long to answer as one.
        timeoutMs: COMPLETE_TIMEOUT_MS,
      })
    },
    async close() {
      if (ownsHttp) await http.close()
    },
  }
  return self
}

/** Strips the `{data: …}` envelope when present. */
export function unwrap(body: unknown): unknown {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'data' in body) {
    return (body as { data: unknown }).data
  }
  return body
}

function pagyOf(body: unknown): Pagy | undefined {
  if (body === null || typeof body !== 'object' || !('pagy' in body)) return undefined
  const r = pagySchema.safeParse((body as { pagy: unknown }).pagy)
  return r.success ? r.data : undefined
}

function hasMore(page: number, count: number, perPage: number, pagy: Pagy | undefined): boolean {
  if (typeof pagy?.total_pages === 'number') return page < pagy.total_pages
  return count >= perPage
}

async function collectPages<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
): Promise<readonly T[]> {
  const out: T[] = []
  for (let page = 1; page <= 10_000; page++) {
    const { items, pagy } = await fetchPage(page)
    out.push(...items)
    if (!hasMore(page, items.length, 100, pagy)) break
  }
  return out
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) throw invalid(what, r.error, 200)
  return r.data
}

function invalid(what: string, error: z.ZodError, status: number): PlaybookError {
  const issue = error.issues[0]
  const where = issue === undefined ? '' : `${issue.path.join('.') || '(root)'}: ${issue.message}`
  return new PlaybookError('server', `unexpected ${what} answer from Playbook (${where})`, {
    status,
  })
}
