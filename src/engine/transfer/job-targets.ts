/**
 * Where a job's upload goes when it is not a new asset: a new version of an existing asset. Kept
 * in a table of its own, keyed by the job's dedupe key and written before the job is enqueued, so
 * a crash between the two leaves a harmless row that the same decision finds again. Also keeps
 * what exactly-once needs for versions (the newest version number before the first send, the
 * version the job made) and whether the job fell back to a new asset.
 */
import type { DatabaseSync } from 'node:sqlite'
import { migrate, transaction } from '../store/database.ts'
import type { JobSnapshot } from '../../shared/job-models.ts'
import type { UploadRequest } from './types.ts'

/** Why a version job was completed as a new asset instead. */
export type VersionFallback = 'route-missing' | 'asset-gone'

/** A version job's target and progress. */
export interface VersionTarget {
  readonly dedupeKey: string
  readonly assetToken: string
  /** The newest version number the asset had before the first send (null until read). */
  readonly beforeNumber: number | null
  /** The version this job made (null until known). */
  readonly versionNumber: number | null
  /** Set when the job became a new asset instead of a version. */
  readonly fallback: VersionFallback | null
  /** A fallback asset was grouped with the old one (or grouping is not possible here). */
  readonly grouped: boolean
}

/** The targets table. */
export interface JobTargets {
  /** Records the version targets of requests about to be enqueued (existing rows are kept). */
  record(requests: readonly UploadRequest[]): void
  get(dedupeKey: string | null): VersionTarget | undefined
  patch(
    dedupeKey: string,
    patch: Partial<Pick<VersionTarget, 'beforeNumber' | 'versionNumber' | 'fallback' | 'grouped'>>,
  ): void
  /** Version numbers of an asset that jobs of this home already hold (each is one job's). */
  claimed(assetToken: string): ReadonlySet<number>
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE transfer_job_targets (
     dedupe_key TEXT PRIMARY KEY,
     asset_token TEXT NOT NULL,
     before_number INTEGER,
     version_number INTEGER,
     fallback TEXT,
     grouped INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX transfer_job_targets_asset ON transfer_job_targets (asset_token)`,
]

interface Raw {
  dedupe_key: string
  asset_token: string
  before_number: number | null
  version_number: number | null
  fallback: VersionFallback | null
  grouped: number
}

const toTarget = (raw: Raw): VersionTarget => ({
  dedupeKey: raw.dedupe_key,
  assetToken: raw.asset_token,
  beforeNumber: raw.before_number,
  versionNumber: raw.version_number,
  fallback: raw.fallback,
  grouped: raw.grouped === 1,
})

/** Opens (creating or migrating) the targets table on the shared state database. */
export function createJobTargets(db: DatabaseSync): JobTargets {
  migrate(db, 'transfer_targets_schema', MIGRATIONS)
  const insert = db.prepare(
    'INSERT OR IGNORE INTO transfer_job_targets (dedupe_key, asset_token) VALUES (?, ?)',
  )
  const select = db.prepare('SELECT * FROM transfer_job_targets WHERE dedupe_key = ?')
  const byAsset = db.prepare(
    'SELECT version_number FROM transfer_job_targets WHERE asset_token = ? AND version_number IS NOT NULL',
  )
  // Few rows (one per version job): a memory copy keeps snapshots free of queries.
  const cache = new Map<string, VersionTarget>()
  for (const raw of db.prepare('SELECT * FROM transfer_job_targets').all() as unknown as Raw[])
    cache.set(raw.dedupe_key, toTarget(raw))
  const reload = (key: string): void => {
    const raw = select.get(key) as unknown as Raw | undefined
    if (raw === undefined) cache.delete(key)
    else cache.set(key, toTarget(raw))
  }
  return {
    record(requests) {
      const keys: string[] = []
      const write = (): void => {
        for (const req of requests) {
          if (req.target?.kind !== 'version') continue
          insert.run(req.dedupeKey, req.target.assetToken)
          keys.push(req.dedupeKey)
        }
      }
      if (!requests.some((r) => r.target?.kind === 'version')) return
      if (db.isTransaction) write()
      else transaction(db, write)
      keys.forEach(reload)
    },
    get: (key) => (key === null ? undefined : cache.get(key)),
    patch(key, patch) {
      const sets: string[] = []
      const values: (number | string | null)[] = []
      if (patch.beforeNumber !== undefined) {
        sets.push('before_number = ?')
        values.push(patch.beforeNumber)
      }
      if (patch.versionNumber !== undefined) {
        sets.push('version_number = ?')
        values.push(patch.versionNumber)
      }
      if (patch.fallback !== undefined) {
        sets.push('fallback = ?')
        values.push(patch.fallback)
      }
      if (patch.grouped !== undefined) {
        sets.push('grouped = ?')
        values.push(patch.grouped ? 1 : 0)
      }
      if (sets.length === 0) return
      db.prepare(`UPDATE transfer_job_targets SET ${sets.join(', ')} WHERE dedupe_key = ?`).run(
        ...values,
        key,
      )
      reload(key)
    },
    claimed(assetToken) {
      const rows = byAsset.all(assetToken) as unknown as { version_number: number }[]
      return new Set(rows.map((r) => r.version_number))
    },
  }
}

/** A job's snapshot with the asset it versions and, once made, its version number ("v4"). */
export function withVersion(job: JobSnapshot, target: VersionTarget | undefined): JobSnapshot {
  if (target === undefined || target.fallback !== null) return job
  return {
    ...job,
    versionOf: target.assetToken,
    ...(target.versionNumber === null ? {} : { version: target.versionNumber }),
  }
}
