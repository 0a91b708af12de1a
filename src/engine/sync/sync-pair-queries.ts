/**
 * The sync index's pair queries: the `sync_pairs` rows (a pair's folder, board, settings and
 * progress marks), and deleting a pair with its files.
 */
import type { SyncStatements } from './sync-statements.ts'
import { toPair } from './sync-schema.ts'
import type { RawPair } from './sync-schema.ts'
import type { SyncStore } from './sync-store.ts'

/** The pair half of the sync index's repository. */
export type SyncPairQueries = Pick<
  SyncStore,
  'pairs' | 'pair' | 'insertPair' | 'updatePair' | 'deletePair'
>

/** Pair queries over the index's statements. */
export function createSyncPairQueries({
  all,
  one,
  run,
  atomically,
}: SyncStatements): SyncPairQueries {
  return {
    pairs: () => all<RawPair>('SELECT * FROM sync_pairs ORDER BY created_at, id').map(toPair),
    pair(id) {
      const raw = one<RawPair>('SELECT * FROM sync_pairs WHERE id = ?', id)
      return raw && toPair(raw)
    },
    insertPair(pair) {
      run(
        `INSERT INTO sync_pairs (id, folder, org, board, board_title, settings, paused, last_sync_at,
           ignored_count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        pair.id,
        pair.folder,
        pair.org,
        pair.board,
        pair.boardTitle,
        JSON.stringify(pair.settings),
        pair.paused ? 1 : 0,
        pair.lastSyncAt,
        pair.ignoredCount,
        pair.createdAt,
      )
    },
    updatePair(id, patch) {
      if (patch.paused !== undefined)
        run('UPDATE sync_pairs SET paused = ? WHERE id = ?', patch.paused ? 1 : 0, id)
      if (patch.lastSyncAt !== undefined)
        run('UPDATE sync_pairs SET last_sync_at = ? WHERE id = ?', patch.lastSyncAt, id)
      if (patch.ignoredCount !== undefined)
        run('UPDATE sync_pairs SET ignored_count = ? WHERE id = ?', patch.ignoredCount, id)
      if (patch.settings !== undefined)
        run('UPDATE sync_pairs SET settings = ? WHERE id = ?', JSON.stringify(patch.settings), id)
      if (patch.boardTitle !== undefined)
        run('UPDATE sync_pairs SET board_title = ? WHERE id = ?', patch.boardTitle, id)
    },
    deletePair(id) {
      atomically(() => {
        run('DELETE FROM sync_files WHERE pair_id = ?', id)
        run('DELETE FROM sync_pairs WHERE id = ?', id)
      })
    },
  }
}
