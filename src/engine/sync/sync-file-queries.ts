/**
 * The sync index's file queries the engine works with: one file's row, a pair's rows by path,
 * rename candidates, the rows of a job and pending files (in pages), and the writes that record
 * facts, moves, deletions and job results.
 */
import type { SyncStatements } from './sync-statements.ts'
import { toFile } from './sync-schema.ts'
import type { RawFile } from './sync-schema.ts'
import type { FileRow, SyncStore } from './sync-store.ts'

/** Paths per `filesAt` query (well under SQLite's bound-parameter limit). */
const LOOKUP_CHUNK = 250
const LOOKUP_SIZES: readonly number[] = [1, 4, 16, 64, LOOKUP_CHUNK]

/** The file half of the sync index's repository (reports and the rescan's read live apart). */
export type SyncFileQueries = Pick<
  SyncStore,
  | 'file'
  | 'files'
  | 'liveFiles'
  | 'livePaths'
  | 'filesAt'
  | 'renameCandidates'
  | 'filesOfJob'
  | 'pendingFiles'
  | 'putFile'
  | 'moveFile'
  | 'markDeleted'
  | 'setJobResult'
>

/** File queries over the index's statements. */
export function createSyncFileQueries({
  all,
  one,
  run,
  atomically,
}: SyncStatements): SyncFileQueries {
  return {
    file(pairId, relPath) {
      const raw = one<RawFile>(
        'SELECT * FROM sync_files WHERE pair_id = ? AND rel_path = ?',
        pairId,
        relPath,
      )
      return raw && toFile(raw)
    },
    files: (pairId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE pair_id = ?', pairId).map(toFile),
    liveFiles: (pairId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL', pairId).map(
        toFile,
      ),
    livePaths: (pairId) =>
      all<{ rel_path: string }>(
        'SELECT rel_path FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL',
        pairId,
      ).map((raw) => raw.rel_path),
    filesAt(pairId, relPaths) {
      const found = new Map<string, FileRow>()
      for (let i = 0; i < relPaths.length; i += LOOKUP_CHUNK) {
        const chunk = relPaths.slice(i, i + LOOKUP_CHUNK)
        // Padded (repeating the last path) to a few sizes, so only a few statements are prepared.
        const size = LOOKUP_SIZES.find((n) => n >= chunk.length) ?? LOOKUP_CHUNK
        while (chunk.length < size) chunk.push(chunk[chunk.length - 1] as string)
        const marks = chunk.map(() => '?').join(', ')
        const rows = all<RawFile>(
          `SELECT * FROM sync_files WHERE pair_id = ? AND rel_path IN (${marks})`,
          pairId,
          ...chunk,
        )
        for (const raw of rows) found.set(raw.rel_path, toFile(raw))
      }
      return found
    },
    renameCandidates(pairId, relPath, ino, sha256) {
      // Two indexed lookups (an OR across two indexes would scan the pair's rows).
      const byIno = all<RawFile>(
        'SELECT * FROM sync_files WHERE pair_id = ? AND ino = ? AND rel_path <> ?',
        pairId,
        ino,
        relPath,
      )
      const bySha =
        sha256 === null
          ? []
          : all<RawFile>(
              'SELECT * FROM sync_files WHERE pair_id = ? AND sha256 = ? AND rel_path <> ?',
              pairId,
              sha256,
              relPath,
            )
      const unique = new Map<string, FileRow>()
      for (const raw of [...byIno, ...bySha]) unique.set(raw.rel_path, toFile(raw))
      // Deleted rows first, most recently deleted first: the likeliest rename sources.
      return [...unique.values()].sort((a, b) => (b.deletedAt ?? -1) - (a.deletedAt ?? -1))
    },
    filesOfJob: (jobId) =>
      all<RawFile>('SELECT * FROM sync_files WHERE job_id = ?', jobId).map(toFile),
    pendingFiles: (pairId, page) =>
      (page === undefined
        ? all<RawFile>(
            "SELECT * FROM sync_files WHERE pair_id = ? AND deleted_at IS NULL AND state = 'pending'",
            pairId,
          )
        : all<RawFile>(
            `SELECT * FROM sync_files WHERE pair_id = ? AND rel_path > ? AND deleted_at IS NULL
               AND state = 'pending' ORDER BY rel_path LIMIT ?`,
            pairId,
            page.after,
            Math.max(1, Math.floor(page.limit)),
          )
      ).map(toFile),
    putFile(row) {
      run(
        `INSERT OR REPLACE INTO sync_files (pair_id, rel_path, size, mtime_ms, ino, sha256, state, job_id,
           asset_token, reason, deleted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.pairId,
        row.relPath,
        row.size,
        row.mtimeMs,
        row.ino,
        row.sha256,
        row.state,
        row.jobId,
        row.assetToken,
        row.reason,
        row.deletedAt,
        row.updatedAt,
      )
    },
    moveFile(pairId, from, to, facts, now) {
      atomically(() => {
        run('DELETE FROM sync_files WHERE pair_id = ? AND rel_path = ?', pairId, to)
        run(
          `UPDATE sync_files SET rel_path = ?, size = ?, mtime_ms = ?, ino = ?, deleted_at = NULL,
             updated_at = ? WHERE pair_id = ? AND rel_path = ?`,
          to,
          facts.size,
          facts.mtimeMs,
          facts.ino,
          now,
          pairId,
          from,
        )
      })
    },
    markDeleted(pairId, relPath, now) {
      run(
        'UPDATE sync_files SET deleted_at = ?, updated_at = ? WHERE pair_id = ? AND rel_path = ? AND deleted_at IS NULL',
        now,
        now,
        pairId,
        relPath,
      )
    },
    setJobResult(jobId, result, now) {
      run(
        'UPDATE sync_files SET state = ?, asset_token = COALESCE(?, asset_token), reason = ?, updated_at = ? WHERE job_id = ?',
        result.state,
        result.assetToken,
        result.reason,
        now,
        jobId,
      )
      return all<RawFile>('SELECT * FROM sync_files WHERE job_id = ?', jobId).map(toFile)
    },
  }
}
