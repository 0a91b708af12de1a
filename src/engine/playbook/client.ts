/**
 * The typed Playbook API client: every call the app, CLI and queue make, with validated answers
 * (wrapped `{data}` or bare), typed errors and retries for idempotent calls only. The access
 * token is read per call (so a new sign-in takes effect at once) and never logged. How one
 * request is made lives in api-call.ts, reading answers in answers.ts, paged lists in pages.ts;
 * routes whose shapes are assumed are reached only through `assumedCall`, from ./assumed/.
 */
import type { z } from 'zod'
import type { Logger } from '../engine-types.ts'
import type { ApiMethod } from './api-call.ts'
import { createApiCaller } from './api-call.ts'
import { invalid, parse, parseRecords, unwrap } from './answers.ts'
import { errorFromResponse } from './errors.ts'
import { createHttp } from './http.ts'
import type { Http } from './http.ts'
import { collectPages, pagyOf, queryString } from './pages.ts'
import type { Page } from './pages.ts'
import type { RetryPolicy, Sleep } from './retry.ts'
import {
  assetSchema,
  batchPrepareSchema,
  batchRowSchema,
  boardSchema,
  bootstrapSchema,
  orgSchema,
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
  PrepareRecord,
  TokenRecord,
} from './schemas.ts'

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
  /**
   * Seed 003's table names `filename` (required) and `board_token`; its samples send
   * `collection_token`. Both board fields go with the same value, and `filename` defaults to the
   * URL's last path segment, so a server reading either shape gets the asset to the same board.
   */
  createAssetFromUrl(
    org: string,
    asset: {
      uri: string
      filename?: string
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
  /**
   * Never retried except on 429 (a retry after an ambiguous failure could duplicate the asset).
   * The board goes as `collection_token` (seed samples) and `board_token` (seed 003's table).
   */
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
export type AssumedMethod = ApiMethod

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
  const caller = createApiCaller({ ...options, baseUrl, http })
  const call = caller.call

  const org = (slug: string): string => `/v1/${encodeURIComponent(slug)}`
  /** A listing's records; ones without what the client needs are left out, and logged. */
  const records = <T>(schema: z.ZodType<T>, body: unknown, what: string): T[] => {
    const { items, skipped } = parseRecords(schema, unwrap(body), what)
    if (skipped > 0) options.log?.warn('playbook records skipped', { what, skipped })
    return items
  }

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
        `${org(slug)}/boards${queryString({ page: q.page, per_page: q.perPage, depth: q.depth, query: q.query })}`,
      )
      return { items: records(boardSchema, body, 'boards'), pagy: pagyOf(body) }
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
      const path = `${org(slug)}/boards/${encodeURIComponent(board)}/assets${queryString({ page: q.page, per_page: q.perPage })}`
      const { body } = await call('GET', path, { signal })
      return { items: records(assetSchema, body, 'board assets'), pagy: pagyOf(body) }
    },
    async allBoardAssets(slug, board, signal) {
      return collectPages((page) => self.boardAssets(slug, board, { page, perPage: 100 }, signal))
    },
    serverNow() {
      return caller.serverNow()
    },
    async createAssetFromUrl(slug, asset, signal) {
      const { body } = await call('POST', `${org(slug)}/assets`, {
        body: {
          asset: {
            ...asset,
            filename: asset.filename ?? filenameOf(asset.uri, asset.title),
            board_token: asset.collection_token,
          },
        },
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
        body: { asset: { ...asset, board_token: asset.collection_token } },
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

/** The name a URL's file goes by: its last path segment, else the title, else the host. */
function filenameOf(uri: string, title: string | undefined): string {
  try {
    const url = new URL(uri)
    const last = url.pathname.split('/').filter(Boolean).pop()
    if (last !== undefined) {
      try {
        return decodeURIComponent(last)
      } catch {
        return last
      }
    }
    return title ?? url.hostname
  } catch {
    return title ?? 'file'
  }
}
