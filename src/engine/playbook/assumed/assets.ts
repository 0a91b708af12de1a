/**
 * Assumed asset routes (docs/api-notes.md, "Assumed"): an asset's versions (a new version made by
 * completing a signed upload against an existing asset), re-titling (update_asset), moving
 * (move_assets) and grouping (group_assets). Playbook's public tools name these operations; their
 * REST shapes are this project's guess. Nothing else in the client calls these routes. When the
 * server does not have one, the call throws RouteMissingError (confirmed by reading the asset
 * through a documented route first), so callers can fall back visibly.
 */
import { z } from 'zod'
import type { PlaybookClient } from '../client.ts'
import { unwrap } from '../answers.ts'
import { PlaybookError, isPlaybookError } from '../errors.ts'
import { assetSchema, pagySchema } from '../schemas.ts'
import type { AssetRecord } from '../schemas.ts'
import { RouteMissingError, isRouteMissing } from './route-missing.ts'

/** One version of an asset's file as the assumed versions route shows it. */
export const assetVersionSchema = z.looseObject({
  number: z.number().int().positive(),
  size: z.number().nullish(),
  media_type: z.string().nullish(),
  created_at: z.union([z.string(), z.number()]).nullish(),
})

/** A version record. */
export type AssetVersionRecord = z.infer<typeof assetVersionSchema>

/** What a new version is made from: a finished signed upload (prepare → storage). */
export interface NewVersion {
  readonly signed_gcs_id: string
  readonly media_type: string
  readonly size: number
  /** Backblaze multipart uploads only (seed 003). */
  readonly multipart_upload_id?: string
}

/** The assumed operations, named as the sandbox and the API notes name them. */
export type AssumedAssetOperation = 'versions' | 'update' | 'move' | 'group'

const base = (org: string): string => `/v1/${encodeURIComponent(org)}/assets`

async function send(
  client: PlaybookClient,
  operation: AssumedAssetOperation,
  confirm: { readonly org: string; readonly asset: string },
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
  /** A read on the same route: when it answers, the route exists and the 404 was about the data. */
  routeProbe?: string,
): Promise<unknown> {
  try {
    const answer = await client.assumedCall(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
    })
    return answer.body
  } catch (error) {
    if (!isRouteMissing(error)) throw error
    // A 404 may be about the asset, not the route: a documented read tells them apart.
    try {
      await client.asset(confirm.org, confirm.asset, signal)
    } catch (read) {
      if (isPlaybookError(read) && read.status === 404)
        throw new PlaybookError(
          'not-found',
          `the asset is no longer on Playbook (${confirm.asset})`,
          {
            status: 404,
            body: read.body,
          },
        )
      throw read
    }
    if (routeProbe !== undefined) {
      const probe = await client.assumedCall('GET', routeProbe, signal ? { signal } : {}).then(
        () => true,
        (e: unknown) => !isRouteMissing(e),
      )
      if (probe) throw error
    }
    throw new RouteMissingError(
      operation,
      error,
      `${method} ${operation}: Playbook answered that this route does not exist`,
    )
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  throw new PlaybookError('server', `unexpected ${what} answer from Playbook`, { status: 200 })
}

/** Every version of an asset, oldest first (all pages). */
export async function listAssetVersions(
  client: PlaybookClient,
  org: string,
  asset: string,
  signal?: AbortSignal,
): Promise<readonly AssetVersionRecord[]> {
  const out: AssetVersionRecord[] = []
  for (let page = 1; page <= 1000; page++) {
    const body = await send(
      client,
      'versions',
      { org, asset },
      'GET',
      `${base(org)}/${encodeURIComponent(asset)}/versions?page=${page}&per_page=100`,
      undefined,
      signal,
    )
    const items = parse(assetVersionSchema.array(), unwrap(body), 'asset versions')
    out.push(...items)
    const pagy =
      body !== null && typeof body === 'object' && 'pagy' in body
        ? pagySchema.safeParse((body as { pagy: unknown }).pagy)
        : undefined
    const total = pagy?.success === true ? pagy.data.total_pages : undefined
    if (typeof total === 'number' ? page >= total : items.length < 100) break
  }
  return out.sort((a, b) => a.number - b.number)
}

/**
 * Adds a version to an asset from a finished signed upload. Not idempotent: after a lost answer,
 * list the versions before sending again (transfer/version-completion.ts).
 */
export async function createAssetVersion(
  client: PlaybookClient,
  org: string,
  asset: string,
  version: NewVersion,
  signal?: AbortSignal,
): Promise<AssetVersionRecord> {
  const body = await send(
    client,
    'versions',
    { org, asset },
    'POST',
    `${base(org)}/${encodeURIComponent(asset)}/versions`,
    { version },
    signal,
    `${base(org)}/${encodeURIComponent(asset)}/versions?page=1&per_page=1`,
  )
  return parse(assetVersionSchema, unwrap(body), 'create version')
}

/** Re-titles an asset (and its description, when given). */
export async function updateAsset(
  client: PlaybookClient,
  org: string,
  asset: string,
  fields: { readonly title?: string; readonly description?: string },
  signal?: AbortSignal,
): Promise<AssetRecord> {
  const body = await send(
    client,
    'update',
    { org, asset },
    'PUT',
    `${base(org)}/${encodeURIComponent(asset)}`,
    { asset: fields },
    signal,
  )
  return parse(assetSchema, unwrap(body), 'update asset')
}

/** Moves assets to another board (all or nothing). */
export async function moveAssets(
  client: PlaybookClient,
  org: string,
  assets: readonly string[],
  board: string,
  signal?: AbortSignal,
): Promise<void> {
  await send(
    client,
    'move',
    { org, asset: assets[0] ?? '' },
    'POST',
    `${base(org)}/move`,
    { batch: { asset_tokens: assets, collection_token: board } },
    signal,
  )
}

/** Stacks assets as variants of the first one. Grouping twice is the same group. */
export async function groupAssets(
  client: PlaybookClient,
  org: string,
  assets: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  await send(
    client,
    'group',
    { org, asset: assets[0] ?? '' },
    'POST',
    `${base(org)}/group`,
    { batch: { asset_tokens: assets } },
    signal,
  )
}
