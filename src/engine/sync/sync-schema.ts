/**
 * The sync index's tables: their migrations (append only, never edited once released) and the
 * mapping from SQLite's rows to the index's records (sync-store.ts and its query modules hold
 * the queries).
 */
import type { DatabaseSync } from 'node:sqlite'
import { migrate } from '../store/database.ts'
import type { PairSettings } from '../../shared/pair-models.ts'
import type { FileRow, PairRow, StoredFileState } from './sync-store.ts'

/** The sync tables' migrations, in order. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sync_pairs (
     id TEXT PRIMARY KEY,
     folder TEXT NOT NULL,
     org TEXT NOT NULL,
     board TEXT NOT NULL,
     board_title TEXT,
     settings TEXT NOT NULL,
     paused INTEGER NOT NULL DEFAULT 0,
     last_sync_at INTEGER,
     ignored_count INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE sync_files (
     pair_id TEXT NOT NULL REFERENCES sync_pairs(id) ON DELETE CASCADE,
     rel_path TEXT NOT NULL,
     size INTEGER NOT NULL,
     mtime_ms REAL NOT NULL,
     ino REAL NOT NULL,
     sha256 TEXT NOT NULL,
     state TEXT NOT NULL,
     job_id TEXT,
     asset_token TEXT,
     reason TEXT,
     deleted_at INTEGER,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (pair_id, rel_path)
   );
   CREATE INDEX sync_files_job ON sync_files(job_id);
   CREATE INDEX sync_files_sha ON sync_files(pair_id, sha256);
   CREATE INDEX sync_files_ino ON sync_files(pair_id, ino);
   CREATE INDEX sync_files_state ON sync_files(pair_id, deleted_at, state);`,
]

/** Creates and migrates the sync tables (idempotent). */
export function migrateSyncStore(db: DatabaseSync): void {
  migrate(db, 'sync_schema', MIGRATIONS)
}

/** A `sync_pairs` row as SQLite returns it. */
export interface RawPair {
  id: string
  folder: string
  org: string
  board: string
  board_title: string | null
  settings: string
  paused: number
  last_sync_at: number | null
  ignored_count: number
  created_at: number
}

/** A `sync_files` row as SQLite returns it. */
export interface RawFile {
  pair_id: string
  rel_path: string
  size: number
  mtime_ms: number
  ino: number
  sha256: string
  state: StoredFileState
  job_id: string | null
  asset_token: string | null
  reason: string | null
  deleted_at: number | null
  updated_at: number
}

/** A pair row as the engine reads it. */
export const toPair = (raw: RawPair): PairRow => ({
  id: raw.id,
  folder: raw.folder,
  org: raw.org,
  board: raw.board,
  boardTitle: raw.board_title,
  settings: JSON.parse(raw.settings) as PairSettings,
  paused: raw.paused === 1,
  lastSyncAt: raw.last_sync_at,
  ignoredCount: raw.ignored_count,
  createdAt: raw.created_at,
})

/** A file row as the engine reads it. */
export const toFile = (raw: RawFile): FileRow => ({
  pairId: raw.pair_id,
  relPath: raw.rel_path,
  size: raw.size,
  mtimeMs: raw.mtime_ms,
  ino: raw.ino,
  sha256: raw.sha256,
  state: raw.state,
  jobId: raw.job_id,
  assetToken: raw.asset_token,
  reason: raw.reason,
  deletedAt: raw.deleted_at,
  updatedAt: raw.updated_at,
})
