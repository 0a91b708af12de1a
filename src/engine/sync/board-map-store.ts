/**
 * The board map's tables: each pair's mapping (folder rules) and, per sub-folder, the board it
 * was given (with the intent row written before a board is created, so a crash between "create"
 * and "record" is resolved by listing instead of creating twice). Own tables, own migrations.
 */
import type { DatabaseSync } from 'node:sqlite'
import { migrate } from '../store/database.ts'
import { createSyncStatements } from './sync-statements.ts'
import type { BoardMapping, FolderBoard } from '../../shared/pair-models.ts'

/** One sub-folder's board as stored. */
export interface FolderBoardRow extends FolderBoard {
  readonly pairId: string
  /** The board this folder's board was made (or looked for) under. */
  readonly parentBoard: string
  readonly updatedAt: number
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE board_maps (
     pair_id TEXT PRIMARY KEY,
     mapping TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE folder_boards (
     pair_id TEXT NOT NULL,
     folder TEXT NOT NULL,
     title TEXT NOT NULL,
     parent_board TEXT NOT NULL,
     board TEXT,
     state TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (pair_id, folder)
   );`,
]

/** The board map's repository (every SQL statement of the board map lives here). */
export interface BoardMapStore {
  mapping(pairId: string): BoardMapping | undefined
  setMapping(pairId: string, mapping: BoardMapping, now: number): void
  folder(pairId: string, folder: string): FolderBoardRow | undefined
  folders(pairId: string): readonly FolderBoardRow[]
  putFolder(row: FolderBoardRow): void
  /** Moves the rows of `from` and everything inside it to `to` (a renamed or moved folder). */
  moveFolder(pairId: string, from: string, to: string, now: number): void
  forgetPair(pairId: string): void
}

interface RawFolder {
  pair_id: string
  folder: string
  title: string
  parent_board: string
  board: string | null
  state: FolderBoard['state']
  updated_at: number
}

const toFolder = (raw: RawFolder): FolderBoardRow => ({
  pairId: raw.pair_id,
  folder: raw.folder,
  title: raw.title,
  parentBoard: raw.parent_board,
  board: raw.board,
  state: raw.state,
  updatedAt: raw.updated_at,
})

/** Opens (and migrates) the board map's tables on the shared state database. */
export function createBoardMapStore(db: DatabaseSync): BoardMapStore {
  migrate(db, 'board_map_schema', MIGRATIONS)
  // Prepared once per SQL text (the index's helpers): a scan asks for the mapping per new file.
  const { all, one, run, atomically } = createSyncStatements(db)
  // Mappings as last read outside a transaction (a scan asks for the pair's mapping about twice
  // per new file: one query and one parse each, without this). A write drops the pair's entry and
  // nothing read inside a transaction is kept, so a rolled-back write is never remembered.
  const mappings = new Map<string, BoardMapping | undefined>()
  return {
    mapping(pairId) {
      if (!db.isTransaction && mappings.has(pairId)) return mappings.get(pairId)
      const raw = one<{ mapping: string }>(
        'SELECT mapping FROM board_maps WHERE pair_id = ?',
        pairId,
      )
      const mapping = raw === undefined ? undefined : (JSON.parse(raw.mapping) as BoardMapping)
      if (!db.isTransaction) mappings.set(pairId, mapping)
      return mapping
    },
    setMapping(pairId, mapping, now) {
      mappings.delete(pairId)
      run(
        'INSERT OR REPLACE INTO board_maps (pair_id, mapping, updated_at) VALUES (?, ?, ?)',
        pairId,
        JSON.stringify(mapping),
        now,
      )
    },
    folder(pairId, folder) {
      const raw = one<RawFolder>(
        'SELECT * FROM folder_boards WHERE pair_id = ? AND folder = ?',
        pairId,
        folder,
      )
      return raw && toFolder(raw)
    },
    folders: (pairId) =>
      all<RawFolder>('SELECT * FROM folder_boards WHERE pair_id = ? ORDER BY folder', pairId).map(
        toFolder,
      ),
    putFolder(row) {
      run(
        `INSERT OR REPLACE INTO folder_boards (pair_id, folder, title, parent_board, board, state,
           updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        row.pairId,
        row.folder,
        row.title,
        row.parentBoard,
        row.board,
        row.state,
        row.updatedAt,
      )
    },
    moveFolder(pairId, from, to, now) {
      atomically(() => {
        for (const raw of all<RawFolder>(
          'SELECT * FROM folder_boards WHERE pair_id = ? AND (folder = ? OR substr(folder, 1, ?) = ?)',
          pairId,
          from,
          from.length + 1,
          `${from}/`,
        )) {
          const next = to + raw.folder.slice(from.length)
          run('DELETE FROM folder_boards WHERE pair_id = ? AND folder = ?', pairId, next)
          run(
            'UPDATE folder_boards SET folder = ?, updated_at = ? WHERE pair_id = ? AND folder = ?',
            next,
            now,
            pairId,
            raw.folder,
          )
        }
      })
    },
    forgetPair(pairId) {
      mappings.delete(pairId)
      atomically(() => {
        run('DELETE FROM board_maps WHERE pair_id = ?', pairId)
        run('DELETE FROM folder_boards WHERE pair_id = ?', pairId)
      })
    },
  }
}
