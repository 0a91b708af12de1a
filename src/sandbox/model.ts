/**
 * The sandbox's data model: what it stores (and persists with --data). Plain JSON-able records so
 * the whole state can be written atomically as one file.
 */

/** An organization (workspace). */
export interface Org {
  readonly id: number
  readonly slug: string
  readonly name: string
}

/** A person who can sign in; member of one or more orgs. */
export interface User {
  readonly id: number
  email: string
  name: string
  orgSlugs: string[]
}

/** What a token may do: read, read + write, or call the partner bootstrap. */
export type TokenScope = 'read' | 'write' | 'integration'

/** A bearer token. */
export interface AccessToken {
  readonly token: string
  readonly scope: TokenScope
  readonly userId: number
  revoked: boolean
  readonly createdAt: string
}

/** A board (collection); `parent_id` nests it under another board. */
export interface Board {
  readonly id: number
  readonly token: string
  readonly orgSlug: string
  title: string
  description: string
  parent_id: number | null
  tree_depth: number
  readonly created_at: string
  updated_at: string
}

/** An asset. `file` is relative to the data folder; null while a skeleton, a link or failed. */
export interface Asset {
  readonly id: number
  readonly token: string
  readonly orgSlug: string
  title: string
  description: string
  collection_token: string
  media_type: string | null
  size: number | null
  is_skeleton: boolean
  is_link: boolean
  source_error: string | null
  signed_gcs_id: string | null
  readonly created_at: string
  group: string | null
  source_uri: string | null
  file: string | null
  sha256: string | null
  md5: string | null
  /** Set while a plugin placeholder waits for its one-shot PUT. */
  awaiting_upload: boolean
  /**
   * Every version of an uploaded asset, oldest first (assumed route, src/sandbox/asset-routes.ts).
   * Absent until a second version is added: the asset's own file is then version 1.
   */
  versions?: AssetVersion[]
}

/** One version of an asset's file (the asset's fields show the newest). */
export interface AssetVersion {
  readonly number: number
  readonly signed_gcs_id: string | null
  readonly file: string | null
  readonly size: number | null
  readonly media_type: string | null
  readonly sha256: string | null
  readonly md5: string | null
  readonly created_at: string
}

/** The bytes of a finalized storage object. */
export interface StoredBlob {
  readonly file: string
  readonly size: number
  /** base64, as GCS reports it. */
  readonly md5: string
  /** hex. */
  readonly sha256: string
  readonly contentType: string
}

/** What `upload_prepare` reserved: one signed_gcs_id. */
export interface StorageObject {
  readonly id: string
  readonly orgSlug: string
  readonly title: string
  readonly media_type: string
  readonly size: number
  readonly file_extension: string
  readonly encrypted_metadata: string
  readonly createdAtMs: number
  readonly expiresAtMs: number
  finalized: StoredBlob | null
}

/** A GCS resumable upload session. `file` holds the `offset` bytes received so far. */
export interface UploadSession {
  readonly id: string
  readonly objectId: string
  readonly createdAtMs: number
  readonly expiresAtMs: number
  readonly contentType: string
  offset: number
  total: number | null
  readonly file: string
  finalized: boolean
}

/** A magic-link code e-mailed to `email`. */
export interface MagicCode {
  readonly code: string
  readonly email: string
  readonly expiresAtMs: number
  used: boolean
}

/** A mail in the sandbox mailbox. */
export interface Mail {
  readonly to: string
  readonly subject: string
  readonly link: string
  readonly created_at: string
}

/** A bootstrapped partner user (seed 000), so bootstrap is idempotent. */
export interface PartnerLink {
  readonly partnerUserId: string
  readonly userId: number
  readonly orgSlug: string
  readonly accessToken: string
}

/** Everything the sandbox keeps. */
export interface SandboxState {
  version: 1
  /** HMAC key for signed URLs. */
  secret: string
  clockOffsetMs: number
  nextId: number
  orgs: Org[]
  users: User[]
  tokens: Record<string, AccessToken>
  boards: Record<string, Board>
  assets: Record<string, Asset>
  objects: Record<string, StorageObject>
  sessions: Record<string, UploadSession>
  codes: Record<string, MagicCode>
  mails: Mail[]
  partners: Record<string, PartnerLink>
  /** The seeded identity printed on start. */
  seed: {
    org: string
    token: string
    readToken: string
    integrationToken: string
    boards: string[]
  }
}

/** Which storage the sandbox hands out at prepare. */
export interface StorageChoice {
  readonly provider: 'gcs' | 'backblaze'
  /** Backblaze: files larger than this are multipart, in parts of this size. */
  readonly partSize: number
  /**
   * GCS: the method each `upload_url` is signed for. Seed 002 starts a resumable session with a
   * POST; seed 003 calls the same URL "usually a pre-signed PUT URL". `any` (the default) takes
   * both; `POST` or `PUT` refuses the other with 403, as a V4 signature does.
   */
  readonly uploadUrlMethod: UploadUrlMethod
}

/** What a GCS `upload_url` is signed for. */
export type UploadUrlMethod = 'any' | 'POST' | 'PUT'

/** The default: GCS resumable sessions (seed 002); Backblaze parts of 8 MiB when chosen. */
export const DEFAULT_STORAGE: StorageChoice = {
  provider: 'gcs',
  partSize: 8 * 1024 * 1024,
  uploadUrlMethod: 'any',
}
