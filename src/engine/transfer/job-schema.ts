/**
 * The queue's tables and their migrations, applied in order on the shared state database.
 * A migration is never edited once released: add a new one.
 */
import type { DatabaseSync } from 'node:sqlite'
import { migrate } from '../store/database.ts'

const migrations: readonly string[] = [
  `CREATE TABLE transfer_jobs (
     id TEXT PRIMARY KEY,
     dedupe_key TEXT UNIQUE,
     kind TEXT NOT NULL CHECK (kind IN ('file', 'url')),
     path TEXT,
     uri TEXT,
     as_link INTEGER NOT NULL DEFAULT 0,
     size INTEGER NOT NULL DEFAULT 0,
     mtime_ms REAL NOT NULL DEFAULT 0,
     expected_sha256 TEXT,
     org TEXT NOT NULL,
     board TEXT NOT NULL,
     title TEXT NOT NULL,
     description TEXT,
     media_type TEXT NOT NULL,
     priority INTEGER NOT NULL DEFAULT 0,
     paused INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL,
     confirmed_bytes INTEGER NOT NULL DEFAULT 0,
     batch_id TEXT,
     upload_url TEXT,
     signed_gcs_id TEXT,
     file_extension TEXT,
     org_metadata TEXT,
     storage_provider TEXT,
     prepared_at INTEGER,
     session_url TEXT,
     request_sent INTEGER NOT NULL DEFAULT 0,
     asset_token TEXT,
     sha256 TEXT,
     fail_reason TEXT,
     retryable INTEGER NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     not_before INTEGER NOT NULL DEFAULT 0,
     solo INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     pair_id TEXT,
     rel_path TEXT
   )`,
  `CREATE INDEX transfer_jobs_state ON transfer_jobs (state, priority DESC)`,
  `CREATE INDEX transfer_jobs_pair ON transfer_jobs (pair_id)`,
  // The scheduler asks for the next queued job of one kind: without `kind` in the index, looking
  // for a URL job among thousands of queued files read them all on every pass.
  `CREATE INDEX transfer_jobs_kind ON transfer_jobs (state, kind, priority DESC)`,
  // Provider-specific upload plan (JSON), e.g. Backblaze multipart parts and the ones stored.
  `ALTER TABLE transfer_jobs ADD COLUMN provider_plan TEXT`,
  // Exactly once without signed_gcs_id on records: when a completion (or URL create) may have
  // landed, its asset is found by title/size/media type among assets created since window_start
  // (server clock). attempt_at: first attempt (server clock); sent_at: last send (local clock,
  // for the grace period); note: what the job is waiting for, in plain words.
  `ALTER TABLE transfer_jobs ADD COLUMN window_start INTEGER`,
  `ALTER TABLE transfer_jobs ADD COLUMN attempt_at INTEGER`,
  `ALTER TABLE transfer_jobs ADD COLUMN sent_at INTEGER`,
  `ALTER TABLE transfer_jobs ADD COLUMN note TEXT`,
  `CREATE INDEX transfer_jobs_asset ON transfer_jobs (board, asset_token)`,
  // Upload even if the board already holds a file with this title and size (--force).
  `ALTER TABLE transfer_jobs ADD COLUMN force INTEGER NOT NULL DEFAULT 0`,
  // What the job may have sent on its session: the bytes [0, sent_end) hash to sent_sha256.
  // Written before each chunk PUT, so a restarted run can vouch for what storage holds.
  `ALTER TABLE transfer_jobs ADD COLUMN sent_end INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE transfer_jobs ADD COLUMN sent_sha256 TEXT`,
  // Fresh starts from prepare after Playbook refused a completion as expired or gone.
  `ALTER TABLE transfer_jobs ADD COLUMN restarts INTEGER NOT NULL DEFAULT 0`,
  // Jobs backing off after a transient failure (few): a pair's status asks for them on every
  // snapshot, which without this read every queued row.
  `CREATE INDEX transfer_jobs_retry ON transfer_jobs (not_before) WHERE attempts > 0`,
]

/** Creates or upgrades the queue's tables. Idempotent. */
export function migrateTransferSchema(db: DatabaseSync): void {
  migrate(db, 'transfer_schema', migrations)
}
