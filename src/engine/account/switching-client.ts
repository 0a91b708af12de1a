/**
 * A PlaybookClient that forwards every call to whichever client the session uses now, so the
 * queue and sync engine can be built once and keep working across sign-in, sign-out and a change
 * of API URL.
 */
import type { PlaybookClient } from '../playbook/client.ts'

/** Wraps `current` (which throws when signed out) as one stable client. */
export function createSwitchingClient(current: () => PlaybookClient): PlaybookClient {
  return {
    get baseUrl() {
      return current().baseUrl
    },
    get http() {
      return current().http
    },
    organizations: async () => current().organizations(),
    boards: async (...a) => current().boards(...a),
    allBoards: async (...a) => current().allBoards(...a),
    asset: async (...a) => current().asset(...a),
    boardAssets: async (...a) => current().boardAssets(...a),
    allBoardAssets: async (...a) => current().allBoardAssets(...a),
    serverNow: () => {
      try {
        return current().serverNow()
      } catch {
        return undefined
      }
    },
    createAssetFromUrl: async (...a) => current().createAssetFromUrl(...a),
    batchCreateFromUrls: async (...a) => current().batchCreateFromUrls(...a),
    uploadPrepare: async (...a) => current().uploadPrepare(...a),
    batchUploadPrepare: async (...a) => current().batchUploadPrepare(...a),
    uploadComplete: async (...a) => current().uploadComplete(...a),
    batchUploadComplete: async (...a) => current().batchUploadComplete(...a),
    requestMagicLink: async (...a) => current().requestMagicLink(...a),
    exchangeMagicLinkCode: async (...a) => current().exchangeMagicLinkCode(...a),
    bootstrap: async (...a) => current().bootstrap(...a),
    assumedCall: async (...a) => current().assumedCall(...a),
    close: () => Promise.resolve(),
  }
}
