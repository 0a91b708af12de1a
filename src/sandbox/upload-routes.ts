/**
 * The signed-upload API (seeds 002, 003): upload_prepare, upload_complete and their batch forms.
 * Completing the same signed_gcs_id twice makes a second asset, as the real service does; stats
 * count those as `duplicates`.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import mime from 'mime'
import { checkMultipartCompletion, providerFields } from './backblaze-storage.ts'
import { HttpError, isRecord, readJson, sendJson } from './http-util.ts'
import { randomId } from './ids.ts'
import type { Asset, Board, StorageObject } from './model.ts'
import type { Route, RouteContext } from './router.ts'
import { signUrl } from './signing.ts'
import { UPLOAD_URL_TTL_S } from './storage.ts'
import type { SandboxStore } from './store.ts'

/** Builds the upload routes. */
export function uploadRoutes(): Route[] {
  return [
    { method: 'POST', pattern: '/v1/:org/assets/upload_prepare', auth: 'write', handle: prepare },
    { method: 'POST', pattern: '/v1/:org/assets/upload_complete', auth: 'write', handle: complete },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/batch_upload_prepare',
      auth: 'write',
      handle: batchPrepare,
    },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/batch_upload_complete',
      auth: 'write',
      handle: batchComplete,
    },
  ]
}

function field(body: Record<string, unknown>, key: string, where: string): Record<string, unknown> {
  const value = body[key]
  if (!isRecord(value)) throw new HttpError(422, `${where}${key} is required (an object)`)
  return value
}

function requireString(row: Record<string, unknown>, key: string, where: string): string {
  const value = row[key]
  if (typeof value !== 'string' || value.trim() === '')
    throw new HttpError(422, `${where}${key} is required`)
  return value
}

function requireSize(row: Record<string, unknown>, where: string): number {
  const value = typeof row.size === 'string' && /^\d+$/.test(row.size) ? Number(row.size) : row.size
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new HttpError(422, `${where}size is required (an integer >= 0)`)
  }
  return value
}

function extensionFor(title: string, mediaType: string): string {
  const fromTitle = /\.([A-Za-z0-9]{1,10})$/.exec(title)?.[1]
  return (fromTitle ?? mime.getExtension(mediaType) ?? 'bin').toLowerCase()
}

function prepareObject(ctx: RouteContext, title: string, mediaType: string, size: number) {
  const { store } = ctx
  const now = store.clock.now()
  const object: StorageObject = {
    id: randomId(32),
    orgSlug: ctx.org?.slug ?? '',
    title,
    media_type: mediaType,
    size,
    file_extension: extensionFor(title, mediaType),
    encrypted_metadata: randomBytes(24).toString('base64url'),
    createdAtMs: now,
    expiresAtMs: now + UPLOAD_URL_TTL_S * 1000,
    finalized: null,
  }
  store.state.objects[object.id] = object
  // Saved soon, not awaited: an object lost in a crash only makes the client prepare again.
  store.save()
  return {
    upload_url: signUrl(
      store.baseUrl,
      `/storage/upload/${object.id}`,
      store.state.secret,
      now,
      UPLOAD_URL_TTL_S,
      store.storage.uploadUrlMethod === 'any' ? undefined : store.storage.uploadUrlMethod,
    ),
    signed_gcs_id: object.id,
    file_extension: object.file_extension,
    encrypted_organization_metadata: object.encrypted_metadata,
    ...providerFields(store, object, store.storage),
  }
}

async function prepare(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const asset = field(body, 'asset', '')
  const title = requireString(asset, 'title', 'asset.')
  const mediaType = requireString(asset, 'media_type', 'asset.')
  const size = requireSize(asset, 'asset.')
  const data = prepareObject(ctx, title, mediaType, size)
  sendJson(ctx.res, 200, { data })
}

/** Validates one completion and creates the asset; throws HttpError (404, 422) for this row. */
function completeOne(
  ctx: RouteContext,
  row: Record<string, unknown>,
  board: Board,
  where: string,
): Asset {
  const { store } = ctx
  const id = requireString(row, 'signed_gcs_id', where)
  const object = store.state.objects[id]
  if (!object || object.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `signed_gcs_id ${id}: no such object in storage`)
  if (store.clock.now() > object.expiresAtMs) {
    throw new HttpError(422, `signed_gcs_id ${id}: the upload URL has expired; prepare again`)
  }
  checkMultipartCompletion(object, row, where)
  const blob = object.finalized
  if (!blob)
    throw new HttpError(
      404,
      `signed_gcs_id ${id}: the object is not in storage (upload not finished)`,
    )
  if (
    row.media_type !== undefined &&
    row.media_type !== null &&
    row.media_type !== object.media_type
  ) {
    throw new HttpError(
      422,
      `${where}media_type ${String(row.media_type)} differs from prepare (${object.media_type})`,
    )
  }
  if (row.size !== undefined && row.size !== null && Number(row.size) !== object.size) {
    throw new HttpError(
      422,
      `${where}size ${String(row.size)} differs from prepare (${object.size})`,
    )
  }
  if (blob.size !== object.size) {
    throw new HttpError(
      422,
      `size mismatch: storage holds ${blob.size} bytes, prepare said ${object.size}`,
    )
  }
  store.checkAssetLimit(board.orgSlug, 1)
  const title = typeof row.title === 'string' && row.title.trim() !== '' ? row.title : object.title
  return store.createAsset({
    orgSlug: board.orgSlug,
    title,
    description: typeof row.description === 'string' ? row.description : '',
    collection_token: board.token,
    media_type: object.media_type,
    size: blob.size,
    signed_gcs_id: object.id,
    file: blob.file,
    sha256: blob.sha256,
    md5: blob.md5,
  })
}

async function complete(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const row = field(body, 'asset', '')
  const board = ctx.store.targetBoard(ctx.org?.slug ?? '', row)
  const asset = completeOne(ctx, row, board, 'asset.')
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data: ctx.store.publicView(asset) })
}

function batchRows(body: Record<string, unknown>): {
  batch: Record<string, unknown>
  rows: unknown[]
} {
  const batch = field(body, 'batch', '')
  const rows = batch.assets
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > 100) {
    throw new HttpError(422, 'batch.assets must hold 1 to 100 rows')
  }
  return { batch, rows }
}

async function batchPrepare(ctx: RouteContext): Promise<void> {
  const { rows } = batchRows(await readJson(ctx.req))
  const checked = rows.map((raw, i) => {
    const where = `batch.assets[${i}].`
    if (!isRecord(raw)) throw new HttpError(422, `batch.assets[${i}] must be an object`)
    const uuid = requireString(raw, 'uuid', where)
    const title = requireString(raw, 'title', where)
    const size = requireSize(raw, where)
    const given =
      typeof raw.media_type === 'string' && raw.media_type.trim() !== ''
        ? raw.media_type
        : undefined
    const mediaType = given ?? mime.getType(title) ?? 'application/octet-stream'
    return { uuid, title, size, mediaType }
  })
  const assets = checked.map((r) => ({
    uuid: r.uuid,
    ...prepareObject(ctx, r.title, r.mediaType, r.size),
  }))
  sendJson(ctx.res, 200, { data: { batch_id: randomUUID(), assets } })
}

type RowResult =
  | { readonly uuid: unknown; readonly asset: unknown }
  | {
      readonly uuid: unknown
      readonly error: { readonly status: number; readonly message: string }
    }

async function batchComplete(ctx: RouteContext): Promise<void> {
  const { batch, rows } = batchRows(await readJson(ctx.req))
  const board = ctx.store.targetBoard(ctx.org?.slug ?? '', batch)
  const results: RowResult[] = rows.map((raw, i) => {
    const where = `batch.assets[${i}].`
    const uuid = isRecord(raw) ? raw.uuid : undefined
    try {
      if (!isRecord(raw)) throw new HttpError(422, `batch.assets[${i}] must be an object`)
      requireString(raw, 'uuid', where)
      return { uuid, asset: ctx.store.publicView(completeOne(ctx, raw, board, where)) }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      return { uuid, error: { status: error.status, message: error.message } }
    }
  })
  const failures = results.filter((r): r is Extract<RowResult, { error: unknown }> => 'error' in r)
  const status =
    failures.length < results.length
      ? 200
      : failures.every((f) => f.error.status === 404)
        ? 404
        : 422
  await ctx.store.commit()
  sendJson(ctx.res, status, { data: results })
}

/** Assets created by completing an already-completed signed_gcs_id. */
export function countDuplicates(store: SandboxStore): number {
  const seen = new Set<string>()
  let duplicates = 0
  for (const asset of Object.values(store.state.assets)) {
    if (!asset.signed_gcs_id) continue
    if (seen.has(asset.signed_gcs_id)) duplicates++
    else seen.add(asset.signed_gcs_id)
  }
  return duplicates
}
