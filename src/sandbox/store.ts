/**
 * The sandbox's state and the operations every route shares: lookups, asset creation, the
 * API's asset JSON, and where bytes live on disk.
 */
import { join } from 'node:path'
import type { SandboxClock } from './clock.ts'
import type { SandboxAssetView } from './context.ts'
import { HttpError } from './http-util.ts'
import { randomId } from './ids.ts'
import { DEFAULT_STORAGE } from './model.ts'
import type { AccessToken, Asset, Board, Org, SandboxState, StorageChoice, User } from './model.ts'
import type { StateWriter } from './persist.ts'

/** Title of the board uploads land on when no board is given (seed 003). */
export const UPLOADED_TODAY = 'Uploaded today'

/** Shared state plus helpers; routes mutate `state` and call `save()`. */
export class SandboxStore {
  readonly state: SandboxState
  readonly dataDir: string
  readonly clock: SandboxClock
  readonly assetLimit: number
  baseUrl = ''
  /** Which storage prepare hands out (GCS by default; Backblaze-style when chosen). */
  storage: StorageChoice = DEFAULT_STORAGE
  private readonly writer: StateWriter

  constructor(options: {
    state: SandboxState
    dataDir: string
    clock: SandboxClock
    writer: StateWriter
    assetLimit: number
  }) {
    this.state = options.state
    this.dataDir = options.dataDir
    this.clock = options.clock
    this.writer = options.writer
    this.assetLimit = options.assetLimit
  }

  /** Persists the state soon (coalesced). */
  save(): void {
    this.writer.schedule()
  }

  /** Saves now and waits until it is on disk: call before answering a change. */
  async commit(): Promise<void> {
    this.writer.schedule()
    await this.writer.flush()
  }

  /** Waits for pending saves. */
  flush(): Promise<void> {
    return this.writer.flush()
  }

  nextId(): number {
    return this.state.nextId++
  }

  /** Absolute path of a data-relative file. */
  path(rel: string): string {
    return join(this.dataDir, rel)
  }

  token(value: string): AccessToken | undefined {
    const t = this.state.tokens[value]
    return t && !t.revoked ? t : undefined
  }

  user(id: number): User | undefined {
    return this.state.users.find((u) => u.id === id)
  }

  org(slug: string): Org | undefined {
    return this.state.orgs.find((o) => o.slug === slug)
  }

  /** Issues a new token for a user. */
  issueToken(userId: number, scope: AccessToken['scope']): AccessToken {
    const record: AccessToken = {
      token: `pb_${randomId(32)}`,
      scope,
      userId,
      revoked: false,
      createdAt: this.clock.iso(),
    }
    this.state.tokens[record.token] = record
    this.save()
    return record
  }

  /** Creates an org with a slug derived from its name (unique). */
  createOrg(name: string): Org {
    const base = slugify(name) || 'org'
    let slug = base
    for (let i = 2; this.org(slug); i++) slug = `${base}-${i}`
    const org: Org = { id: this.nextId(), slug, name }
    this.state.orgs.push(org)
    this.save()
    return org
  }

  createBoard(orgSlug: string, title: string, parent?: Board, description = ''): Board {
    const now = this.clock.iso()
    const board: Board = {
      id: this.nextId(),
      token: randomId(24),
      orgSlug,
      title,
      description,
      parent_id: parent ? parent.id : null,
      tree_depth: parent ? parent.tree_depth + 1 : 0,
      created_at: now,
      updated_at: now,
    }
    this.state.boards[board.token] = board
    this.save()
    return board
  }

  boardsOf(orgSlug: string): Board[] {
    return Object.values(this.state.boards).filter((b) => b.orgSlug === orgSlug)
  }

  /**
   * The board named by `collection_token` / `board_token` / `collection_id` (404 if unknown), else
   * the org's "Uploaded today" board.
   */
  targetBoard(orgSlug: string, body: Record<string, unknown>): Board {
    const token = body.collection_token ?? body.board_token
    const id = body.collection_id
    if (token === undefined || token === null || token === '') {
      if (id === undefined || id === null || id === '') return this.uploadedToday(orgSlug)
      const byId = this.boardsOf(orgSlug).find((b) => String(b.id) === String(id))
      if (!byId) throw new HttpError(404, `board not found: collection_id ${String(id)}`)
      return byId
    }
    if (typeof token !== 'string') throw new HttpError(422, 'collection_token must be a string')
    const board = this.state.boards[token]
    if (!board || board.orgSlug !== orgSlug) throw new HttpError(404, `board not found: ${token}`)
    return board
  }

  uploadedToday(orgSlug: string): Board {
    const existing = this.boardsOf(orgSlug).find(
      (b) => b.title === UPLOADED_TODAY && b.parent_id === null,
    )
    return existing ?? this.createBoard(orgSlug, UPLOADED_TODAY)
  }

  assetsOf(orgSlug: string): Asset[] {
    return Object.values(this.state.assets).filter((a) => a.orgSlug === orgSlug)
  }

  /** Throws 422 when `adding` more assets would pass the org's asset limit. */
  checkAssetLimit(orgSlug: string, adding: number): void {
    const count = this.assetsOf(orgSlug).length
    if (count + adding > this.assetLimit) {
      throw new HttpError(
        422,
        `asset limit reached: the organization may hold ${this.assetLimit} assets`,
      )
    }
  }

  /** Creates an asset record with defaults. */
  createAsset(
    fields: Partial<Asset> & { orgSlug: string; title: string; collection_token: string },
  ): Asset {
    const asset: Asset = {
      id: this.nextId(),
      token: randomId(24),
      description: '',
      media_type: null,
      size: null,
      is_skeleton: false,
      is_link: false,
      source_error: null,
      signed_gcs_id: null,
      created_at: this.clock.iso(),
      group: null,
      source_uri: null,
      file: null,
      sha256: null,
      md5: null,
      awaiting_upload: false,
      ...fields,
    }
    this.state.assets[asset.token] = asset
    this.save()
    return asset
  }

  /**
   * The asset as the public API shows it: only the fields the seeds document (id, token, title,
   * description, collection_token, media_type, display_url, is_skeleton, is_link, source_error,
   * created_at, size where known). Nothing a client could use as a private back door (no
   * signed_gcs_id, no hash of the bytes, no source URL): a real Playbook does not promise them.
   */
  publicView(asset: Asset): PublicAssetRecord {
    return {
      id: asset.id,
      token: asset.token,
      title: asset.title,
      description: asset.description,
      collection_token: asset.collection_token,
      media_type: asset.media_type,
      ...(asset.size === null ? {} : { size: asset.size }),
      display_url: this.displayUrl(asset),
      is_skeleton: asset.is_skeleton,
      is_link: asset.is_link,
      source_error: asset.source_error,
      created_at: asset.created_at,
    }
  }

  /** The asset with the sandbox's extras (`/__sandbox` routes and plugin routes only). */
  view(asset: Asset): SandboxAssetView {
    return {
      id: asset.id,
      token: asset.token,
      title: asset.title,
      description: asset.description,
      collection_token: asset.collection_token,
      media_type: asset.media_type,
      size: asset.size,
      display_url: this.displayUrl(asset),
      is_skeleton: asset.is_skeleton,
      is_link: asset.is_link,
      source_error: asset.source_error,
      signed_gcs_id: asset.signed_gcs_id,
      source_uri: asset.source_uri,
      created_at: asset.created_at,
      group: asset.group,
      sha256: asset.sha256,
      ...(asset.versions === undefined
        ? {}
        : {
            versions: asset.versions.map((v) => ({
              number: v.number,
              sha256: v.sha256,
              size: v.size,
              signed_gcs_id: v.signed_gcs_id,
              created_at: v.created_at,
            })),
          }),
    }
  }

  private displayUrl(asset: Asset): string | null {
    return asset.file
      ? `${this.baseUrl}/files/${asset.token}`
      : asset.is_link
        ? asset.source_uri
        : null
  }
}

/** An asset record on the public API (seed fields only). */
export interface PublicAssetRecord {
  readonly id: number
  readonly token: string
  readonly title: string
  readonly description: string
  readonly collection_token: string
  readonly media_type: string | null
  readonly size?: number
  readonly display_url: string | null
  readonly is_skeleton: boolean
  readonly is_link: boolean
  readonly source_error: string | null
  readonly created_at: string
}

/** `Acme Corp` → `acme-corp`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
}
