/**
 * Assumed asset routes (docs/api-notes.md, "Assumed"): versions of an asset made from a signed
 * upload, re-titling (update_asset), moving (move_assets) and grouping (group_assets). Playbook's
 * public tools name these operations but their REST shapes are not documented, so the shapes here
 * are this project's guess, served so the client can be tested end to end.
 * `/__sandbox/assumed-routes` withholds any of them: they then answer exactly as an unknown route
 * does, which is how the client's fallbacks are tested.
 */
import { checkMultipartCompletion } from './backblaze-storage.ts'
import { HttpError, isRecord, readJson, sendJson } from './http-util.ts'
import type { Asset, AssetVersion, Board } from './model.ts'
import { paginate } from './router.ts'
import type { Route, RouteContext } from './router.ts'
import type { SandboxStore } from './store.ts'

/** The assumed operations a sandbox can withhold. */
export const ASSUMED_ASSET_ROUTES = ['versions', 'update', 'move', 'group'] as const
/** One withholdable operation. */
export type AssumedAssetRoute = (typeof ASSUMED_ASSET_ROUTES)[number]

/** Withheld operations per sandbox store (a fresh sandbox serves them all). */
const withheld = new WeakMap<SandboxStore, Set<AssumedAssetRoute>>()

/** Builds the assumed asset routes and their admin switch. */
export function assetRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/:org/assets/:token/versions',
      auth: 'read',
      handle: guarded('versions', listVersions),
    },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/:token/versions',
      auth: 'write',
      handle: guarded('versions', createVersion),
    },
    {
      method: 'PUT',
      pattern: '/v1/:org/assets/:token',
      auth: 'write',
      handle: guarded('update', updateAsset),
    },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/move',
      auth: 'write',
      handle: guarded('move', moveAssets),
    },
    {
      method: 'POST',
      pattern: '/v1/:org/assets/group',
      auth: 'write',
      handle: guarded('group', groupAssets),
    },
    {
      method: 'GET',
      pattern: '/__sandbox/assumed-routes',
      auth: 'none',
      handle: async (ctx) => sendJson(ctx.res, 200, assumedJson(ctx.store)),
    },
    { method: 'POST', pattern: '/__sandbox/assumed-routes', auth: 'none', handle: setAssumed },
  ]
}

/** Withholds (or serves again) assumed operations, e.g. `{"missing": ["versions"]}`. */
export function setWithheld(store: SandboxStore, missing: readonly AssumedAssetRoute[]): void {
  withheld.set(store, new Set(missing))
}

function assumedJson(store: SandboxStore): Record<string, unknown> {
  const missing = [...(withheld.get(store) ?? [])]
  return { data: { missing, served: ASSUMED_ASSET_ROUTES.filter((r) => !missing.includes(r)) } }
}

async function setAssumed(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const missing = body.missing
  if (
    !Array.isArray(missing) ||
    !missing.every((m) => (ASSUMED_ASSET_ROUTES as readonly unknown[]).includes(m))
  ) {
    throw new HttpError(422, `missing must list some of: ${ASSUMED_ASSET_ROUTES.join(', ')}`)
  }
  setWithheld(ctx.store, missing as AssumedAssetRoute[])
  sendJson(ctx.res, 200, assumedJson(ctx.store))
}

/** A withheld operation answers as an unknown route would (same status, same body). */
function guarded(
  name: AssumedAssetRoute,
  handle: (ctx: RouteContext) => Promise<void>,
): (ctx: RouteContext) => Promise<void> {
  return async (ctx) => {
    if (withheld.get(ctx.store)?.has(name))
      throw new HttpError(404, `no route for ${ctx.req.method ?? ''} ${ctx.url.pathname}`)
    await handle(ctx)
  }
}

function findAsset(ctx: RouteContext, token: string): Asset {
  const asset = ctx.store.state.assets[token]
  if (!asset || asset.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `asset not found: ${token}`)
  return asset
}

/** The asset's versions, oldest first; an asset never versioned has its own file as version 1. */
export function versionsOf(asset: Asset): readonly AssetVersion[] {
  if (asset.versions !== undefined && asset.versions.length > 0) return asset.versions
  if (asset.file === null) return []
  return [
    {
      number: 1,
      signed_gcs_id: asset.signed_gcs_id,
      file: asset.file,
      size: asset.size,
      media_type: asset.media_type,
      sha256: asset.sha256,
      md5: asset.md5,
      created_at: asset.created_at,
    },
  ]
}

/** A version as the notes document it (assumed): `{number, size?, media_type, created_at}`. */
function versionJson(v: AssetVersion): Record<string, unknown> {
  return {
    number: v.number,
    media_type: v.media_type,
    ...(v.size === null ? {} : { size: v.size }),
    created_at: v.created_at,
  }
}

async function listVersions(ctx: RouteContext): Promise<void> {
  const asset = findAsset(ctx, ctx.params.token ?? '')
  sendJson(
    ctx.res,
    200,
    paginate(
      ctx.url,
      versionsOf(asset).map((v) => versionJson(v)),
    ),
  )
}

/** `POST …/assets/{token}/versions {version: {signed_gcs_id, media_type?, size?, multipart_upload_id?}}`. */
async function createVersion(ctx: RouteContext): Promise<void> {
  const { store } = ctx
  const asset = findAsset(ctx, ctx.params.token ?? '')
  const body = await readJson(ctx.req)
  const row = body.version
  if (!isRecord(row)) throw new HttpError(422, 'version is required (an object)')
  const id = row.signed_gcs_id
  if (typeof id !== 'string' || id === '')
    throw new HttpError(422, 'version.signed_gcs_id is required')
  const object = store.state.objects[id]
  if (!object || object.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `signed_gcs_id ${id}: no such object in storage`)
  if (store.clock.now() > object.expiresAtMs)
    throw new HttpError(422, `signed_gcs_id ${id}: the upload URL has expired; prepare again`)
  checkMultipartCompletion(object, row, 'version.')
  const blob = object.finalized
  if (!blob)
    throw new HttpError(
      404,
      `signed_gcs_id ${id}: the object is not in storage (upload not finished)`,
    )
  if (row.size !== undefined && row.size !== null && Number(row.size) !== object.size)
    throw new HttpError(
      422,
      `version.size ${String(row.size)} differs from prepare (${object.size})`,
    )
  if (blob.size !== object.size)
    throw new HttpError(
      422,
      `size mismatch: storage holds ${blob.size} bytes, prepare said ${object.size}`,
    )
  if (asset.is_link || asset.file === null)
    throw new HttpError(422, 'only an uploaded asset can have versions')
  const versions = [...versionsOf(asset)]
  const version: AssetVersion = {
    number: (versions[versions.length - 1]?.number ?? 0) + 1,
    signed_gcs_id: object.id,
    file: blob.file,
    size: blob.size,
    media_type: object.media_type,
    sha256: blob.sha256,
    md5: blob.md5,
    created_at: store.clock.iso(),
  }
  versions.push(version)
  asset.versions = versions
  // The asset shows its newest version (the first upload's signed_gcs_id stays its own).
  asset.file = blob.file
  asset.size = blob.size
  asset.media_type = object.media_type
  asset.sha256 = blob.sha256
  asset.md5 = blob.md5
  await store.commit()
  sendJson(ctx.res, 201, { data: versionJson(version) })
}

/** `PUT …/assets/{token} {asset: {title?, description?}}` (update_asset). */
async function updateAsset(ctx: RouteContext): Promise<void> {
  const asset = findAsset(ctx, ctx.params.token ?? '')
  const body = await readJson(ctx.req)
  const row = body.asset
  if (!isRecord(row)) throw new HttpError(422, 'asset is required (an object)')
  if (row.title !== undefined) {
    if (typeof row.title !== 'string' || row.title.trim() === '')
      throw new HttpError(422, 'asset.title must be a non-empty string')
    asset.title = row.title
  }
  if (row.description !== undefined) {
    if (typeof row.description !== 'string')
      throw new HttpError(422, 'asset.description must be a string')
    asset.description = row.description
  }
  if (row.collection_token !== undefined) asset.collection_token = boardOf(ctx, row).token
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data: ctx.store.publicView(asset) })
}

function boardOf(ctx: RouteContext, row: Record<string, unknown>): Board {
  const token = row.collection_token ?? row.board_token
  if (typeof token !== 'string' || token === '')
    throw new HttpError(422, 'collection_token is required')
  return ctx.store.targetBoard(ctx.org?.slug ?? '', { collection_token: token })
}

function tokensOf(batch: Record<string, unknown>): string[] {
  const tokens = batch.asset_tokens
  if (
    !Array.isArray(tokens) ||
    tokens.length === 0 ||
    tokens.length > 100 ||
    !tokens.every((t) => typeof t === 'string' && t !== '')
  )
    throw new HttpError(422, 'batch.asset_tokens must list 1 to 100 asset tokens')
  return tokens as string[]
}

/** `POST …/assets/move {batch: {asset_tokens, collection_token}}` (move_assets; all or nothing). */
async function moveAssets(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const batch = body.batch
  if (!isRecord(batch)) throw new HttpError(422, 'batch is required (an object)')
  const board = boardOf(ctx, batch)
  const assets = tokensOf(batch).map((t) => findAsset(ctx, t))
  for (const asset of assets) asset.collection_token = board.token
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data: assets.map((a) => ctx.store.publicView(a)) })
}

/** `POST …/assets/group {batch: {asset_tokens}}` (group_assets): the first asset leads the stack. */
async function groupAssets(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const batch = body.batch
  if (!isRecord(batch)) throw new HttpError(422, 'batch is required (an object)')
  const assets = tokensOf(batch).map((t) => findAsset(ctx, t))
  const lead = assets[0] as Asset
  const group = lead.group ?? lead.token
  for (const asset of assets) if (asset !== lead || lead.group !== null) asset.group = group
  await ctx.store.commit()
  sendJson(ctx.res, 200, {
    data: { group_token: group, asset_tokens: assets.map((a) => a.token) },
  })
}

/** Versions made twice from one signed upload (a completion repeated after a lost answer). */
export function countVersionDuplicates(store: SandboxStore): number {
  let duplicates = 0
  for (const asset of Object.values(store.state.assets)) {
    const seen = new Set<string>()
    for (const v of asset.versions ?? []) {
      if (v.signed_gcs_id === null) continue
      if (seen.has(v.signed_gcs_id)) duplicates++
      else seen.add(v.signed_gcs_id)
    }
  }
  return duplicates
}
