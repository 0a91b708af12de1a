/**
 * The store's writes: enqueue (deduplicated, reviving failed jobs), checked transitions and
 * patches. Every write goes to SQLite first, then to the mirror.
 */
import { randomUUID } from 'node:crypto'
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import mime from 'mime'
import { canTransition, columns, toDb } from './job-row.ts'
import type { JobPatch, JobRow, StateKind } from './job-row.ts'
import { clearedUpload } from './job-marks.ts'
import type { JobMirror } from './job-mirror.ts'
import type { JobReader } from './job-reads.ts'
import type { UploadRequest } from './types.ts'

/** What changes the store. */
export interface JobWrites {
  /**
   * Inserts in one transaction; known dedupe keys (not cancelled) return the existing id. A failed
   * file job asked for again is revived (queued afresh with the request's source, or completed
   * again when its upload had finished): running a command again retries what failed. A queued
   * file job takes the request's path (the file may have moved).
   */
  enqueue(requests: readonly UploadRequest[]): {
    readonly ids: readonly string[]
    readonly added: readonly string[]
    readonly revived: readonly string[]
  }
  /** Moves a job to `to` (checked) and writes `patch` in the same statement. */
  transition(id: string, to: StateKind, patch?: JobPatch): JobRow
  /** Writes fields without changing state. */
  patch(id: string, patch: JobPatch): JobRow
  /** Runs `fn` in one transaction. */
  atomically<T>(fn: () => T): T
}

/** Builds the writes over a migrated database, its mirror and the reads. */
export function createJobWrites(
  db: DatabaseSync,
  mirror: JobMirror,
  reads: JobReader,
  statement: (sql: string) => StatementSync,
  now: () => number,
): JobWrites {
  const byKey = db.prepare('SELECT id, state FROM transfer_jobs WHERE dedupe_key = ?')
  const releaseKey = db.prepare('UPDATE transfer_jobs SET dedupe_key = NULL WHERE id = ?')
  const insertRow = db.prepare(
    `INSERT INTO transfer_jobs (id, dedupe_key, kind, path, uri, as_link, size, mtime_ms, expected_sha256, org, board,
       title, description, media_type, priority, state, created_at, updated_at, pair_id, rel_path, force)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
  )

  const write = (
    id: string,
    patch: JobPatch & { state?: StateKind },
    current = reads.load(id),
  ): JobRow => {
    if (current === undefined) throw new Error(`transfer job ${id} does not exist`)
    const sets: string[] = []
    const values: SQLInputValue[] = []
    const next: Record<string, unknown> = { ...current.row }
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue
      sets.push(`${columns[key as keyof JobRow]} = ?`)
      values.push(toDb(value))
      next[key] = value
    }
    const t = now()
    next.updatedAt = t
    sets.push('updated_at = ?')
    values.push(t)
    statement(`UPDATE transfer_jobs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
    const row = next as unknown as JobRow
    mirror.mirror(current.row, row, current.rid)
    return row
  }

  const insert = (req: UploadRequest): string => {
    const id = randomUUID()
    const t = now()
    const file = req.source.kind === 'file' ? req.source : undefined
    const url = req.source.kind === 'url' ? req.source : undefined
    const mediaType =
      mime.getType(req.title) ??
      (file ? mime.getType(file.path) : null) ??
      'application/octet-stream'
    insertRow.run(
      id,
      req.dedupeKey,
      req.source.kind,
      file?.path ?? null,
      url?.uri ?? null,
      url?.asLink === true ? 1 : 0,
      file?.size ?? 0,
      file?.mtimeMs ?? 0,
      file?.sha256 ?? null,
      req.org,
      req.board,
      req.title,
      req.description ?? null,
      mediaType,
      req.priority ?? 0,
      t,
      t,
      req.origin?.pairId ?? null,
      req.origin?.relPath ?? null,
      req.force === true ? 1 : 0,
    )
    // Only the totals need it (queued rows are not mirrored).
    mirror.inserted({
      state: 'queued',
      kind: req.source.kind,
      priority: req.priority ?? 0,
      size: file?.size ?? 0,
      confirmedBytes: 0,
      paused: false,
    } as JobRow)
    return id
  }

  /** A failed job back to work for `req` (same key: same content and destination). */
  const revive = (id: string, req: UploadRequest): void => {
    const row = reads.load(id)?.row
    if (row === undefined) return
    const reset: JobPatch = {
      attempts: 0,
      notBefore: 0,
      failReason: null,
      retryable: false,
      solo: false,
      paused: false,
    }
    const sha = req.source.kind === 'file' ? req.source.sha256 : undefined
    if (
      row.signedGcsId !== null &&
      row.sha256 !== null &&
      (sha === undefined || sha === row.sha256)
    ) {
      // The upload finished; its asset may already exist: complete (looking it up first).
      write(id, { ...reset, requestSent: true, state: 'completing' })
      return
    }
    write(id, { ...reset, ...clearedUpload, ...sourcePatch(req), sha256: null, state: 'queued' })
  }

  return {
    enqueue(requests) {
      validate(requests)
      return mirror.inTransaction(() => {
        const ids: string[] = []
        const added: string[] = []
        const revived: string[] = []
        for (const req of requests) {
          const existing = byKey.get(req.dedupeKey) as { id: string; state: string } | undefined
          if (existing !== undefined && existing.state !== 'cancelled') {
            ids.push(existing.id)
            if (req.source.kind !== 'file') continue
            if (existing.state === 'failed') {
              revive(existing.id, req)
              revived.push(existing.id)
            } else if (existing.state === 'queued') {
              write(existing.id, sourcePatch(req))
            }
            continue
          }
          if (existing !== undefined) releaseKey.run(existing.id)
          const id = insert(req)
          ids.push(id)
          added.push(id)
        }
        return { ids, added, revived }
      })
    },
    transition(id, to, patch = {}) {
      const current = reads.load(id)
      if (current === undefined) throw new Error(`transfer job ${id} does not exist`)
      if (!canTransition(current.row.state, to))
        throw new Error(`transfer job ${id}: illegal transition ${current.row.state} → ${to}`)
      return write(id, { ...patch, state: to }, current)
    },
    patch: (id, patch) => write(id, patch),
    atomically: (fn) => mirror.inTransaction(fn),
  }
}

/** The fields of a file job that follow its request (where the file is now, what it holds). */
function sourcePatch(req: UploadRequest): JobPatch {
  if (req.source.kind !== 'file') return {}
  return {
    path: req.source.path,
    size: req.source.size,
    mtimeMs: req.source.mtimeMs,
    expectedSha256: req.source.sha256 ?? null,
    title: req.title,
    relPath: req.origin?.relPath ?? null,
  }
}

function validate(requests: readonly UploadRequest[]): void {
  for (const [i, req] of requests.entries()) {
    const where = `upload request ${i} (${req.title || req.dedupeKey})`
    if (!req.dedupeKey) throw new Error(`${where}: dedupeKey is empty`)
    if (!req.org) throw new Error(`${where}: org is empty`)
    if (!req.board) throw new Error(`${where}: board is empty`)
    if (!req.title) throw new Error(`${where}: title is empty`)
    if (req.source.kind === 'file') {
      if (!req.source.path) throw new Error(`${where}: source.path is empty`)
      if (!Number.isSafeInteger(req.source.size) || req.source.size < 0)
        throw new Error(`${where}: source.size must be a non-negative integer`)
    } else if (!/^https?:\/\//i.test(req.source.uri)) {
      throw new Error(`${where}: source.uri must be an http(s) URL`)
    }
  }
}
