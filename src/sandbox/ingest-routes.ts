/**
 * URL ingest (seed 003): `POST /v1/{slug}/assets` and `batch_create_from_urls` answer at once with
 * skeleton assets (or links, for `as_link`) and hand the URLs to the background worker. The batch
 * is all-or-nothing: 422 past 100 rows or past the asset limit, 406 for a row without `uri`.
 */
import { HttpError, isRecord, readJson, sendJson } from './http-util.ts'
import type { IngestWorker } from './ingest-worker.ts'
import type { Board } from './model.ts'
import type { Route, RouteContext } from './router.ts'

/** Builds the URL ingest routes. */
export function ingestRoutes(worker: IngestWorker): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/:org/assets',
      auth: 'write',
      handle: (ctx) => single(ctx, worker),
    },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/batch_create_from_urls',
      auth: 'write',
      handle: (ctx) => batch(ctx, worker),
    },
  ]
}

interface UrlRow {
  readonly uri: string
  readonly title: string
  readonly description: string
  readonly asLink: boolean
}

function checkRow(row: unknown, where: string): UrlRow {
  if (!isRecord(row)) throw new HttpError(422, `${where} must be an object`)
  const uri = row.uri
  if (typeof uri !== 'string' || uri.trim() === '')
    throw new HttpError(406, `${where}.uri is required`)
  let parsed: URL
  try {
    parsed = new URL(uri)
  } catch {
    throw new HttpError(422, `${where}.uri is not a valid URL`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HttpError(422, `${where}.uri must be http or https`)
  }
  const named = typeof row.title === 'string' && row.title.trim() !== '' ? row.title : undefined
  const filename =
    typeof row.filename === 'string' && row.filename.trim() !== '' ? row.filename : undefined
  const fromPath =
    decodeURIComponent(parsed.pathname.split('/').filter(Boolean).pop() ?? '') || parsed.hostname
  return {
    uri,
    title: named ?? filename ?? fromPath,
    description: typeof row.description === 'string' ? row.description : '',
    asLink: row.as_link === true || row.as_link === 'true',
  }
}

/** Creates the asset for one checked row and queues its fetch; used by bootstrap too. */
export function createUrlAsset(
  ctx: Pick<RouteContext, 'store'>,
  worker: IngestWorker,
  board: Board,
  row: UrlRow,
) {
  const asset = ctx.store.createAsset({
    orgSlug: board.orgSlug,
    title: row.title,
    description: row.description,
    collection_token: board.token,
    is_skeleton: !row.asLink,
    is_link: row.asLink,
    source_uri: row.uri,
  })
  if (!row.asLink) worker.enqueue(asset.token)
  return asset
}

/** Validates one URL row (406 without `uri`, 422 for a bad one); shared with bootstrap. */
export { checkRow as checkUrlRow }

async function single(ctx: RouteContext, worker: IngestWorker): Promise<void> {
  const body = await readJson(ctx.req)
  if (!isRecord(body.asset)) throw new HttpError(406, 'asset is required (an object with uri)')
  const row = checkRow(body.asset, 'asset')
  const board = ctx.store.targetBoard(ctx.org?.slug ?? '', body.asset)
  ctx.store.checkAssetLimit(board.orgSlug, 1)
  const data = ctx.store.publicView(createUrlAsset(ctx, worker, board, row))
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data })
}

async function batch(ctx: RouteContext, worker: IngestWorker): Promise<void> {
  const body = await readJson(ctx.req)
  if (!isRecord(body.batch)) throw new HttpError(422, 'batch is required (an object with assets)')
  const rows = body.batch.assets
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > 100) {
    throw new HttpError(422, 'batch.assets must hold 1 to 100 rows')
  }
  const checked = rows.map((r, i) => ({
    uuid: isRecord(r) ? r.uuid : undefined,
    row: checkRow(r, `batch.assets[${i}]`),
  }))
  const board = ctx.store.targetBoard(ctx.org?.slug ?? '', body.batch)
  ctx.store.checkAssetLimit(board.orgSlug, checked.length)
  const data = checked.map(({ uuid, row }) => ({
    uuid,
    asset: ctx.store.publicView(createUrlAsset(ctx, worker, board, row)),
  }))
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data })
}
