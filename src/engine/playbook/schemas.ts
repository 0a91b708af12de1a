/**
 * Response shapes of the Playbook API (zod). Unknown fields are kept (loose objects) so a newer
 * server does not break the client; only the fields the engine relies on are required.
 */
import { z } from 'zod'

const id = z.union([z.string(), z.number()])
const optionalString = z.string().nullish()

/** An organization the token can reach. */
export const orgSchema = z.looseObject({ id, slug: z.string(), name: z.string().nullish() })

/** A board (Playbook calls them collections in places). */
export const boardSchema = z.looseObject({
  id,
  token: z.string(),
  title: z.string().nullish(),
  description: optionalString,
  parent_id: id.nullish(),
  tree_depth: z.number().nullish(),
  created_at: optionalString,
  updated_at: optionalString,
})

/** An asset; upload and ingest answers, lookups and listings all return this. */
export const assetSchema = z.looseObject({
  id: id.nullish(),
  token: z.string(),
  title: z.string().nullish(),
  media_type: optionalString,
  collection_token: optionalString,
  is_skeleton: z.boolean().nullish(),
  is_link: z.boolean().nullish(),
  source_error: optionalString,
  /** Where Playbook shows the asset's picture (documented field); used for link-drop previews. */
  display_url: optionalString,
  size: z.number().nullish(),
  created_at: z.union([z.string(), z.number()]).nullish(),
})

/** Pagination block of list answers. */
export const pagySchema = z.looseObject({
  current_page: z.number().nullish(),
  page_items: z.number().nullish(),
  total_pages: z.number().nullish(),
  total_count: z.number().nullish(),
})

/**
 * Where and how to send one file's bytes (upload_prepare, or one batch row). `upload_url` is
 * absent for multipart uploads, whose parts carry their own URLs (storage-providers.md).
 */
export const prepareSchema = z.looseObject({
  upload_url: z.string().nullish(),
  signed_gcs_id: z.string(),
  file_extension: optionalString,
  encrypted_organization_metadata: optionalString,
  storage_provider: optionalString,
})

/** batch_upload_prepare's answer. */
export const batchPrepareSchema = z.looseObject({
  batch_id: z.union([z.string(), z.number()]).nullish(),
  assets: z.array(prepareSchema.extend({ uuid: z.string() })),
})

/**
 * One row of a batch answer: the asset, or why this row failed. Error rows come in several shapes
 * (`{error: {status, message}}`, `{error: "text", status: 422}`, `errors: [...]`, `message`):
 * they are kept loose here and read by `readBatchRow`.
 */
export const batchRowSchema = z.looseObject({
  uuid: z.string(),
  asset: assetSchema.nullish(),
  error: z.unknown().optional(),
  errors: z.unknown().optional(),
  status: z.unknown().optional(),
  message: z.unknown().optional(),
})

/** Token exchange answer. */
export const tokenSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.string().nullish(),
  expires_in: z.number().nullish(),
})

/** Partner bootstrap answer (seed 000). */
export const bootstrapSchema = z.looseObject({
  status: z.string().nullish(),
  redirect_url: z.string().nullish(),
  access_token: z.string(),
})

/** Parsed types. */
export type OrgRecord = z.infer<typeof orgSchema>
export type BoardRecord = z.infer<typeof boardSchema>
export type AssetRecord = z.infer<typeof assetSchema>
export type Pagy = z.infer<typeof pagySchema>
export type PrepareRecord = z.infer<typeof prepareSchema>
export type BatchPrepareRecord = z.infer<typeof batchPrepareSchema>
export type BatchRow = z.infer<typeof batchRowSchema>
export type TokenRecord = z.infer<typeof tokenSchema>
export type BootstrapRecord = z.infer<typeof bootstrapSchema>
