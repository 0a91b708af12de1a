/** Implements the `SandboxAssetStore` the plugin routes use, over the sandbox store. */
import { createReadStream } from 'node:fs'
import type { SandboxAssetStore } from './context.ts'
import { HttpError } from './http-util.ts'
import { signUrl } from './signing.ts'
import type { SandboxStore } from './store.ts'

/** Placeholder upload URLs live this long. */
const PUT_TTL_S = 24 * 3600

/** Builds the asset view for a `SandboxContext`. */
export function createAssetAccess(store: SandboxStore): SandboxAssetStore {
  return {
    find(token) {
      const asset = store.state.assets[token]
      return asset ? store.view(asset) : undefined
    },
    list(filter) {
      return Object.values(store.state.assets)
        .filter((a) => !filter?.board || a.collection_token === filter.board)
        .map((a) => store.view(a))
    },
    async openBytes(token) {
      const asset = store.state.assets[token]
      if (!asset || !asset.file) return undefined
      return {
        stream: createReadStream(store.path(asset.file)),
        size: asset.size ?? 0,
        mediaType: asset.media_type ?? 'application/octet-stream',
      }
    },
    signedDownloadUrl(token, ttlSeconds = 3600) {
      return signUrl(
        store.baseUrl,
        `/storage/download/${token}`,
        store.state.secret,
        store.clock.now(),
        ttlSeconds,
      )
    },
    async createPlaceholder(input) {
      const source = input.group ? store.state.assets[input.group] : undefined
      const boardToken = input.boardToken ?? source?.collection_token
      const board = boardToken ? store.state.boards[boardToken] : undefined
      if (!board) throw new HttpError(404, `board not found: ${boardToken ?? '(none given)'}`)
      store.checkAssetLimit(board.orgSlug, 1)
      const asset = store.createAsset({
        orgSlug: board.orgSlug,
        title: input.title,
        collection_token: board.token,
        media_type: input.mediaType ?? null,
        is_skeleton: true,
        group: source ? source.token : null,
        awaiting_upload: true,
      })
      return {
        token: asset.token,
        uploadUrl: signUrl(
          store.baseUrl,
          `/storage/put/${asset.token}`,
          store.state.secret,
          store.clock.now(),
          PUT_TTL_S,
        ),
      }
    },
    failPlaceholder(token, message) {
      const asset = store.state.assets[token]
      if (!asset || !asset.awaiting_upload) return
      asset.awaiting_upload = false
      asset.is_skeleton = false
      asset.source_error = message
      store.save()
    },
  }
}
