/**
 * What the sandbox hands to route modules it does not own (the plugin routes): its address, clock,
 * log and a narrow view of the asset store. Kept stable once published: add, never change.
 */
import type { Readable } from 'node:stream'
import type { SandboxClock } from './clock.ts'

/** An asset as the API shows it (plus `sha256` of its stored bytes and `group`). */
export interface SandboxAssetView {
  readonly id: number
  readonly token: string
  readonly title: string
  readonly description: string
  readonly collection_token: string
  readonly media_type: string | null
  readonly size: number | null
  readonly display_url: string | null
  readonly is_skeleton: boolean
  readonly is_link: boolean
  readonly source_error: string | null
  readonly signed_gcs_id: string | null
  /** The URL a URL-ingested asset came from (null for uploads); lets a client adopt it after a crash. */
  readonly source_uri: string | null
  readonly created_at: string
  /** Token of the asset this one is grouped with, if any. */
  readonly group: string | null
  readonly sha256: string | null
  /** Every version (assumed route): number, bytes' sha256, the signed upload it came from. */
  readonly versions?: readonly {
    readonly number: number
    readonly sha256: string | null
    readonly size: number | null
    readonly signed_gcs_id: string | null
    readonly created_at: string
  }[]
}

/** The stored bytes of an asset, as a stream to read once. */
export interface SandboxAssetBytes {
  readonly stream: Readable
  readonly size: number
  readonly mediaType: string
}

/** A placeholder asset waiting for its bytes (plugin `createAssets`). */
export interface SandboxPlaceholder {
  readonly token: string
  /** One-shot signed URL: `PUT` the bytes with their Content-Type; this finalizes the asset. */
  readonly uploadUrl: string
}

/** Store access for the plugin routes. */
export interface SandboxAssetStore {
  find(token: string): SandboxAssetView | undefined
  /** Assets of one board (or all), oldest first. */
  list(filter?: { readonly board?: string }): readonly SandboxAssetView[]
  /** The asset's bytes; undefined when it has none (skeleton, link, failed, unknown). */
  openBytes(token: string): Promise<SandboxAssetBytes | undefined>
  /** A signed `GET` URL under `/storage/download/…` (supports Range), valid `ttlSeconds` (default 1 h). */
  signedDownloadUrl(token: string, ttlSeconds?: number): string
  /** Creates a skeleton asset on a board (the board of `group` when `boardToken` is absent). */
  createPlaceholder(input: {
    readonly boardToken?: string
    readonly title: string
    readonly mediaType?: string
    /** Token of the asset to group with. */
    readonly group?: string
  }): Promise<SandboxPlaceholder>
  /** Marks a placeholder failed (e.g. the plugin reported `status: failed`). */
  failPlaceholder(token: string, message: string): void
}

/** Everything a foreign route module gets from the sandbox. */
export interface SandboxContext {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string
  readonly clock: SandboxClock
  /** One line to the sandbox log (already quiet in tests). Never pass tokens or signed URLs. */
  readonly log: (line: string) => void
  readonly assets: SandboxAssetStore
}
