/**
 * Response shapes of the Playbook API (zod). Unknown fields are kept (loose objects) so a newer
 * server does not break the client; only the fields the engine relies on are required. On records
 * (assets, boards, pages), a field the client can do without that comes in another type reads as
 * absent (a count given as a numeric string reads as its number), so one odd record never fails a
 * whole listing, nor every upload to its board.
 */
import { z } from 'zod'

const id = z.union([z.string(), z.number()])
const optionalString = z.string().nullish()

/** A field the client can do without: a value of another type reads as null. */
function lenient<T extends z.ZodType>(schema: T) {
  // `.optional()` outside the catch: a missing field stays missing (zod requires a bare catch).
  return schema.nullish().catch(null).optional()
}
/** A whole number, also when sent as a numeric string (`"1048576"`). */
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
/** A boolean, also when sent as `"true"` / `"false"`. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
const text = lenient(z.string())

/** An organization the token can reach. */
export const orgSchema = z.looseObject({ id, slug: z.string(), name: z.string().nullish() })

/** A board (Playbook calls them collections in places). */
export const boardSchema = z.looseObject({
  id,
  token: z.string(),
  title: text,
  description: text,
  parent_id: lenient(id),
  tree_depth: lenient(count),
  created_at: text,
  updated_at: text,
})

/** An asset; upload and ingest answers, lookups and listings all return this. */
export const assetSchema = z.looseObject({
  id: lenient(id),
  token: z.string(),
  title: text,
  media_type: text,
  collection_token: text,
  is_skeleton: lenient(flag),
  is_link: lenient(flag),
  /** Any value but null is an error: one that is not text is kept as its JSON, never dropped. */
  source_error: z
    .unknown()
    .transform((v) =>
      v === null || v === undefined || typeof v === 'string' ? v : JSON.stringify(v),
    )
    .pipe(z.string().nullish())
    .optional(),
  /** Where Playbook shows the asset's picture (documented field); used for link-drop previews. */
  display_url: text,
  size: lenient(count),
  created_at: lenient(z.union([z.string(), z.number()])),
})

/** Pagination block of list answers. */
export const pagySchema = z.looseObject({
  current_page: lenient(count),
  page_items: lenient(count),
  total_pages: lenient(count),
  total_count: lenient(count),
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
