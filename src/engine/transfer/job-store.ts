/**
 * Persistent transfer jobs. Every state is written here BEFORE the network step it guards, so a
 * process killed at any instant restarts from a state that is safe to resume.
 */
import { randomUUID } from 'node:crypto'
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import mime from 'mime'
import type { JobSnapshot, JobState } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import { transaction } from '../store/database.ts'
import { migrateTransferSchema } from './job-schema.ts'
import type { UploadRequest } from './types.ts'

/** A job's state name. */
export type StateKind = JobState['kind']

/** One job as stored. */
export interface JobRow {
  readonly id: string
  readonly dedupeKey: string | null
  readonly kind: 'file' | 'url'
  readonly path: string | null
  readonly uri: string | null
  readonly asLink: boolean
  readonly size: number
  readonly mtimeMs: number
  readonly expectedSha256: string | null
  readonly org: string
  readonly board: string
  readonly title: string
  readonly description: string | null
  readonly mediaType: string
  readonly priority: number
  readonly paused: boolean
  readonly state: StateKind
  readonly confirmedBytes: number
  readonly batchId: string | null
  readonly uploadUrl: string | null
  readonly signedGcsId: string | null
  readonly fileExtension: string | null
  readonly orgMetadata: string | null
  readonly storageProvider: string | null
  /** Provider-specific plan (JSON) for providers other than GCS; see backblaze-upload.ts. */
  readonly providerPlan: string | null
  readonly preparedAt: number | null
  readonly sessionUrl: string | null
  /** The bytes [0, sentEnd) this job sent (or was about to send) on its session hash to sentSha256. */
  readonly sentEnd: number
  readonly sentSha256: string | null
  /** A non-idempotent request (complete, URL create) may have reached the server: look up before resending. */
  readonly requestSent: boolean
  readonly assetToken: string | null
  readonly sha256: string | null
  readonly failReason: string | null
  readonly retryable: boolean
  readonly attempts: number
  readonly notBefore: number
  /** Prepare this job alone (a batch it was in was refused as a whole). */
  readonly solo: boolean
  readonly createdAt: number
  readonly updatedAt: number
  readonly pairId: string | null
  readonly relPath: string | null
  /** Server-clock ms: an asset created before this cannot be this job's (see completion-match). */
  readonly windowStart: number | null
  /** Server-clock ms of the first completion (or URL create) attempt. */
  readonly attemptAt: number | null
  /** Local ms of the latest completion send (the grace period counts from it). */
  readonly sentAt: number | null
  /** What the job waits for, in plain words (shown with its state); null when nothing special. */
  readonly note: string | null
  /** Upload even when the board already holds a file with this title and size. */
  readonly force: boolean
  /** Times the upload started again from prepare because Playbook called it expired or gone. */
  readonly restarts: number
}

/** Fields a transition or patch may set. */
export type JobPatch = Partial<
  Omit<JobRow, 'id' | 'kind' | 'org' | 'createdAt' | 'updatedAt' | 'state'>
>

const columns: Readonly<Record<keyof JobRow, string>> = {
  id: 'id',
  dedupeKey: 'dedupe_key',
  kind: 'kind',
  path: 'path',
  uri: 'uri',
  asLink: 'as_link',
  size: 'size',
  mtimeMs: 'mtime_ms',
  expectedSha256: 'expected_sha256',
  org: 'org',
  board: 'board',
  title: 'title',
  description: 'description',
  mediaType: 'media_type',
  priority: 'priority',
  paused: 'paused',
  state: 'state',
  confirmedBytes: 'confirmed_bytes',
  batchId: 'batch_id',
  uploadUrl: 'upload_url',
  signedGcsId: 'signed_gcs_id',
  fileExtension: 'file_extension',
  orgMetadata: 'org_metadata',
  storageProvider: 'storage_provider',
  providerPlan: 'provider_plan',
  preparedAt: 'prepared_at',
  sessionUrl: 'session_url',
  sentEnd: 'sent_end',
  sentSha256: 'sent_sha256',
  requestSent: 'request_sent',
  assetToken: 'asset_token',
  sha256: 'sha256',
  failReason: 'fail_reason',
  retryable: 'retryable',
  attempts: 'attempts',
  notBefore: 'not_before',
  solo: 'solo',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  pairId: 'pair_id',
  relPath: 'rel_path',
  windowStart: 'window_start',
  attemptAt: 'attempt_at',
  sentAt: 'sent_at',
  note: 'note',
  force: 'force',
  restarts: 'restarts',
}
const booleans = new Set<keyof JobRow>([
  'asLink',
  'paused',
  'requestSent',
  'retryable',
  'solo',
  'force',
])

/** Upload fields cleared when a job must be prepared again. */
export const clearedUpload: JobPatch = {
  batchId: null,
  uploadUrl: null,
  signedGcsId: null,
  fileExtension: null,
  orgMetadata: null,
  storageProvider: null,
  providerPlan: null,
  preparedAt: null,
  sessionUrl: null,
  sentEnd: 0,
  sentSha256: null,
  confirmedBytes: 0,
  requestSent: false,
  windowStart: null,
  attemptAt: null,
  sentAt: null,
  note: null,
}

/** Which transitions are legal; anything else is a bug and throws. */
export function canTransition(from: StateKind, to: StateKind): boolean {
  switch (from) {
    case 'queued':
      return (
        to === 'preparing' ||
        to === 'ingesting' ||
        to === 'failed' ||
        to === 'cancelled' ||
        to === 'queued'
      )
    case 'preparing':
      // done: the board already held this file (recognised before uploading).
      return (
        to === 'queued' ||
        to === 'uploading' ||
        to === 'done' ||
        to === 'failed' ||
        to === 'cancelled'
      )
    case 'uploading':
      return to === 'completing' || to === 'queued' || to === 'failed' || to === 'cancelled'
    case 'completing':
      return to === 'done' || to === 'queued' || to === 'failed' || to === 'cancelled'
    case 'ingesting':
      return to === 'done' || to === 'failed' || to === 'cancelled' || to === 'queued'
    case 'failed':
      // Back to completing only for an upload that finished (its asset may already exist).
      return to === 'queued' || to === 'completing' || to === 'cancelled'
    case 'done':
    case 'cancelled':
      return false
    default:
      return assertNever(from, 'job state')
  }
}

/** States that still have work to do. */
export const activeStates: readonly StateKind[] = [
  'queued',
  'preparing',
  'uploading',
  'completing',
  'ingesting',
]

/** The store's operations; all synchronous (node:sqlite). */
export interface JobStore {
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
  get(id: string): JobRow | undefined
  /** Many jobs by id in a few queries (unknown ids are absent from the map). */
  getMany(ids: readonly string[]): ReadonlyMap<string, JobRow>
  /** Jobs in the given states, highest priority first, then oldest first (at most `limit`). */
  inStates(
    states: readonly StateKind[],
    filter?: { readonly pairId?: string; readonly limit?: number; readonly unpaused?: boolean },
  ): readonly JobRow[]
  all(filter?: { readonly pairId?: string }): readonly JobRow[]
  /** Moves a job to `to` (checked) and writes `patch` in the same statement. */
  transition(id: string, to: StateKind, patch?: JobPatch): JobRow
  /** Writes fields without changing state. */
  patch(id: string, patch: JobPatch): JobRow
  /** Runs `fn` in one transaction. */
  atomically<T>(fn: () => T): T
  /** Jobs with work left that are not paused. */
  countRunnable(): number
  /**
   * Unpaused queued jobs of one kind that may run at `t`, in scheduling order (at most `limit`,
   * default 1), optionally of one org/board and not marked solo.
   */
  nextQueued(
    kind: JobRow['kind'],
    t: number,
    filter?: {
      readonly org?: string
      readonly board?: string
      readonly notSolo?: boolean
      readonly limit?: number
    },
  ): readonly JobRow[]
  /** The highest priority among queued jobs of a kind (paused and delayed too); undefined if none. */
  queuedTop(kind: JobRow['kind']): number | undefined
  /** The earliest `notBefore` after `t` among unpaused queued jobs (when to look again). */
  nextQueuedWake(t: number): number | undefined
  /** Asset tokens jobs on this board already own (done, or ingesting): no other job may claim them. */
  claimedAssets(board: string): ReadonlySet<string>
  /**
   * Per pair (null for jobs outside pairs): the earliest time a job backing off after a
   * transient failure (server busy) runs again, with that job's last error.
   */
  retryWaits(
    t: number,
  ): ReadonlyMap<string | null, { readonly until: number; readonly reason: string }>
  /** Counts and byte sums per state. */
  counts(): ReadonlyMap<
    StateKind,
    { readonly count: number; readonly bytes: number; readonly confirmed: number }
  >
}

/** States whose rows the store keeps in memory: few at a time, read on every scheduling pass. */
const hotStates: ReadonlySet<StateKind> = new Set<StateKind>([
  'preparing',
  'uploading',
  'completing',
  'ingesting',
])

interface Tally {
  count: number
  bytes: number
  confirmed: number
  unpaused: number
}

/**
 * Opens the store on a database handle (migrating it). SQLite stays the truth and is written
 * first; rows in the hot states and the per-state totals are also mirrored in memory (updated
 * after each write, undone when a transaction rolls back), so the scheduler's frequent reads cost
 * nothing. One store per database at a time (the queue owns it).
 */
export function createJobStore(db: DatabaseSync, now: () => number = Date.now): JobStore {
  migrateTransferSchema(db)
  const selectOne = db.prepare('SELECT rowid AS rid, * FROM transfer_jobs WHERE id = ?')
  const selectMany = db.prepare(
    'SELECT * FROM transfer_jobs WHERE id IN (SELECT value FROM json_each(?))',
  )
  const byKey = db.prepare('SELECT id, state FROM transfer_jobs WHERE dedupe_key = ?')
  const releaseKey = db.prepare('UPDATE transfer_jobs SET dedupe_key = NULL WHERE id = ?')
  const insertRow = db.prepare(
    `INSERT INTO transfer_jobs (id, dedupe_key, kind, path, uri, as_link, size, mtime_ms, expected_sha256, org, board,
       title, description, media_type, priority, state, created_at, updated_at, pair_id, rel_path, force)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
  )
  const statements = new Map<string, StatementSync>()
  /** Prepared once per distinct SQL text (updates vary by which fields they set). */
  const statement = (sql: string): StatementSync => {
    let prepared = statements.get(sql)
    if (prepared === undefined) {
      prepared = db.prepare(sql)
      statements.set(sql, prepared)
    }
    return prepared
  }

  // In-memory mirror: hot rows (with their rowid, for ordering) and totals per state.
  const hot = new Map<string, { row: JobRow; rid: number }>()
  for (const raw of db
    .prepare(
      `SELECT rowid AS rid, * FROM transfer_jobs WHERE state IN (${[...hotStates].map(() => '?').join(', ')})`,
    )
    .all(...hotStates) as Record<string, unknown>[]) {
    hot.set(String(raw.id), { row: fromDb(raw), rid: Number(raw.rid) })
  }
  const tallies = new Map<StateKind, Tally>()
  for (const r of db
    .prepare(
      `SELECT state, COUNT(*) AS n, SUM(size) AS bytes,
         SUM(CASE WHEN state = 'done' THEN size ELSE confirmed_bytes END) AS confirmed,
         SUM(CASE WHEN paused = 0 THEN 1 ELSE 0 END) AS unpaused
       FROM transfer_jobs GROUP BY state`,
    )
    .all() as Record<string, unknown>[]) {
    tallies.set(r.state as StateKind, {
      count: Number(r.n),
      bytes: Number(r.bytes ?? 0),
      confirmed: Number(r.confirmed ?? 0),
      unpaused: Number(r.unpaused ?? 0),
    })
  }
  const tally = (row: JobRow, sign: 1 | -1): void => {
    countQueued(row, sign)
    let t = tallies.get(row.state)
    if (t === undefined) {
      t = { count: 0, bytes: 0, confirmed: 0, unpaused: 0 }
      tallies.set(row.state, t)
    }
    t.count += sign
    t.bytes += sign * row.size
    t.confirmed += sign * (row.state === 'done' ? row.size : row.confirmedBytes)
    if (!row.paused) t.unpaused += sign
  }
  // Queued jobs per kind and priority (paused and delayed ones included): lets the scheduler skip
  // asking SQLite when nothing queued could run or outrank what is already waiting.
  const queuedPriorities = new Map<string, Map<number, number>>()
  for (const r of db
    .prepare(
      `SELECT kind, priority, COUNT(*) AS n FROM transfer_jobs WHERE state = 'queued' GROUP BY kind, priority`,
    )
    .all() as Record<string, unknown>[]) {
    queuedPriorities.set(
      String(r.kind),
      (queuedPriorities.get(String(r.kind)) ?? new Map<number, number>()).set(
        Number(r.priority),
        Number(r.n),
      ),
    )
  }
  const countQueued = (row: Pick<JobRow, 'state' | 'kind' | 'priority'>, sign: 1 | -1): void => {
    if (row.state !== 'queued') return
    let byPriority = queuedPriorities.get(row.kind)
    if (byPriority === undefined) {
      byPriority = new Map()
      queuedPriorities.set(row.kind, byPriority)
    }
    const n = (byPriority.get(row.priority) ?? 0) + sign
    if (n <= 0) byPriority.delete(row.priority)
    else byPriority.set(row.priority, n)
  }
  /** Undo log of the open transaction (undefined outside `atomically`/`enqueue`). */
  let undo: (() => void)[] | undefined
  const mirror = (before: JobRow | undefined, after: JobRow | undefined, rid: number): void => {
    if (before !== undefined) tally(before, -1)
    if (after !== undefined) tally(after, 1)
    const hadHot = hot.get(after?.id ?? before?.id ?? '')
    if (after !== undefined && hotStates.has(after.state)) hot.set(after.id, { row: after, rid })
    else if (before !== undefined) hot.delete(before.id)
    undo?.push(() => {
      if (after !== undefined) tally(after, -1)
      if (before !== undefined) tally(before, 1)
      const id = after?.id ?? before?.id ?? ''
      if (hadHot === undefined) hot.delete(id)
      else hot.set(id, hadHot)
    })
  }
  const inTransaction = <T>(fn: () => T): T => {
    if (undo !== undefined) return fn()
    const log: (() => void)[] = []
    undo = log
    try {
      return transaction(db, fn)
    } catch (e) {
      for (const step of log.reverse()) step()
      throw e
    } finally {
      undo = undefined
    }
  }

  const load = (id: string): { row: JobRow; rid: number } | undefined => {
    const cached = hot.get(id)
    if (cached !== undefined) return cached
    const raw = selectOne.get(id) as Record<string, unknown> | undefined
    return raw === undefined ? undefined : { row: fromDb(raw), rid: Number(raw.rid) }
  }
  const get = (id: string): JobRow | undefined => load(id)?.row

  const getMany = (ids: readonly string[]): ReadonlyMap<string, JobRow> => {
    const found = new Map<string, JobRow>()
    const cold: string[] = []
    for (const id of ids) {
      const cached = hot.get(id)
      if (cached !== undefined) found.set(id, cached.row)
      else cold.push(id)
    }
    for (let i = 0; i < cold.length; i += 1000) {
      const rows = selectMany.all(JSON.stringify(cold.slice(i, i + 1000))) as Record<
        string,
        unknown
      >[]
      for (const raw of rows) found.set(String(raw.id), fromDb(raw))
    }
    return found
  }

  const write = (id: string, patch: JobPatch & { state?: StateKind }): JobRow => {
    const current = load(id)
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
    mirror(current.row, row, current.rid)
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
    const counted = {
      state: 'queued',
      kind: req.source.kind,
      priority: req.priority ?? 0,
      size: file?.size ?? 0,
      confirmedBytes: 0,
      paused: false,
    } as JobRow
    tally(counted, 1)
    undo?.push(() => tally(counted, -1))
    return id
  }

  /** A failed job back to work for `req` (same key: same content and destination). */
  const revive = (id: string, req: UploadRequest): void => {
    const row = load(id)?.row
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
      return inTransaction(() => {
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
    get,
    getMany,
    inStates(states, filter) {
      if (states.length === 0) return []
      if (states.every((state) => hotStates.has(state))) {
        const wanted = new Set(states)
        const found: { row: JobRow; rid: number }[] = []
        for (const entry of hot.values()) {
          const { row } = entry
          if (!wanted.has(row.state)) continue
          if (filter?.pairId !== undefined && row.pairId !== filter.pairId) continue
          if (filter?.unpaused === true && row.paused) continue
          found.push(entry)
        }
        found.sort((a, b) => b.row.priority - a.row.priority || a.rid - b.rid)
        const limit =
          filter?.limit === undefined ? found.length : Math.max(1, Math.floor(filter.limit))
        return found.slice(0, limit).map((e) => e.row)
      }
      const marks = states.map(() => '?').join(', ')
      const pair =
        (filter?.pairId === undefined ? '' : ' AND pair_id = ?') +
        (filter?.unpaused === true ? ' AND paused = 0' : '')
      const args: SQLInputValue[] = [...states]
      if (filter?.pairId !== undefined) args.push(filter.pairId)
      const limit =
        filter?.limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.floor(filter.limit))}`
      const rows = db
        .prepare(
          `SELECT * FROM transfer_jobs WHERE state IN (${marks})${pair} ORDER BY priority DESC, rowid${limit}`,
        )
        .all(...args) as Record<string, unknown>[]
      return rows.map(fromDb)
    },
    all(filter) {
      const rows = (
        filter?.pairId === undefined
          ? db.prepare('SELECT * FROM transfer_jobs ORDER BY rowid').all()
          : db
              .prepare('SELECT * FROM transfer_jobs WHERE pair_id = ? ORDER BY rowid')
              .all(filter.pairId)
      ) as Record<string, unknown>[]
      return rows.map(fromDb)
    },
    transition(id, to, patch = {}) {
      const current = load(id)?.row
      if (current === undefined) throw new Error(`transfer job ${id} does not exist`)
      if (!canTransition(current.state, to))
        throw new Error(`transfer job ${id}: illegal transition ${current.state} → ${to}`)
      return write(id, { ...patch, state: to })
    },
    patch(id, patch) {
      return write(id, patch)
    },
    atomically(fn) {
      return inTransaction(fn)
    },
    countRunnable() {
      let n = 0
      for (const state of activeStates) n += tallies.get(state)?.unpaused ?? 0
      return n
    },
    counts() {
      const out = new Map<StateKind, { count: number; bytes: number; confirmed: number }>()
      for (const [state, t] of tallies) {
        if (t.count > 0) out.set(state, { count: t.count, bytes: t.bytes, confirmed: t.confirmed })
      }
      return out
    },
    queuedTop(kind) {
      const byPriority = queuedPriorities.get(kind)
      if (byPriority === undefined || byPriority.size === 0) return undefined
      return Math.max(...byPriority.keys())
    },
    nextQueued(kind, t, filter) {
      const args: SQLInputValue[] = [kind, t]
      let where = `state = 'queued' AND paused = 0 AND kind = ? AND not_before <= ?`
      if (filter?.org !== undefined) {
        where += ' AND org = ?'
        args.push(filter.org)
      }
      if (filter?.board !== undefined) {
        where += ' AND board = ?'
        args.push(filter.board)
      }
      if (filter?.notSolo === true) where += ' AND solo = 0'
      args.push(Math.max(1, Math.floor(filter?.limit ?? 1)))
      const rows = statement(
        `SELECT * FROM transfer_jobs WHERE ${where} ORDER BY priority DESC, rowid LIMIT ?`,
      ).all(...args) as Record<string, unknown>[]
      return rows.map(fromDb)
    },
    claimedAssets(board) {
      const rows = statement(
        'SELECT asset_token FROM transfer_jobs WHERE board = ? AND asset_token IS NOT NULL',
      ).all(board) as { asset_token: string }[]
      return new Set(rows.map((r) => r.asset_token))
    },
    retryWaits(t) {
      const rows = statement(
        `SELECT pair_id, MIN(not_before) AS at, fail_reason FROM transfer_jobs
           WHERE state IN ('queued', 'preparing', 'uploading', 'completing') AND paused = 0
             AND attempts > 0 AND not_before > ? GROUP BY pair_id`,
      ).all(t) as { pair_id: string | null; at: number | bigint; fail_reason: string | null }[]
      const out = new Map<string | null, { until: number; reason: string }>()
      for (const row of rows)
        out.set(row.pair_id, { until: Number(row.at), reason: row.fail_reason ?? '' })
      return out
    },
    nextQueuedWake(t) {
      const row = statement(
        `SELECT MIN(not_before) AS at FROM transfer_jobs
           WHERE state = 'queued' AND paused = 0 AND not_before > ?`,
      ).get(t) as { at: number | bigint | null } | undefined
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at)
    },
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

function toDb(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  return value as SQLInputValue
}

function fromDb(raw: Record<string, unknown>): JobRow {
  const out: Record<string, unknown> = {}
  for (const [key, column] of Object.entries(columns)) {
    const value = raw[column]
    out[key] = booleans.has(key as keyof JobRow)
      ? value === 1 || value === 1n
      : typeof value === 'bigint'
        ? Number(value)
        : value
  }
  return out as unknown as JobRow
}

/** The UI's view of a job; live numbers (speed, ETA) come from the queue. */
export function toSnapshot(
  row: JobRow,
  live: { readonly speed: number; readonly paused: boolean } = { speed: 0, paused: false },
): JobSnapshot {
  const bytesDone = row.state === 'done' ? row.size : row.confirmedBytes
  const remaining = row.size - bytesDone
  return {
    id: row.id,
    source:
      row.kind === 'file'
        ? { kind: 'file', path: row.path ?? '', size: row.size }
        : { kind: 'url', uri: row.uri ?? '', asLink: row.asLink },
    title: row.title,
    org: row.org,
    board: row.board,
    priority: row.priority,
    paused: row.paused || live.paused,
    state: stateOf(row),
    bytesDone,
    bytesTotal: row.size,
    speed: live.speed,
    etaSeconds:
      live.speed > 0 && remaining > 0
        ? Math.ceil(remaining / live.speed)
        : remaining === 0
          ? 0
          : null,
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.pairId === null ? {} : { pairId: row.pairId }),
    ...(row.relPath === null ? {} : { relPath: row.relPath }),
    ...(row.note === null ? {} : { note: row.note }),
    ...(activeStates.includes(row.state) && row.attempts > 0 && row.notBefore > 0
      ? { retryAt: row.notBefore, ...(row.failReason ? { lastError: row.failReason } : {}) }
      : {}),
  }
}

function stateOf(row: JobRow): JobState {
  switch (row.state) {
    case 'queued':
    case 'preparing':
    case 'completing':
    case 'ingesting':
    case 'cancelled':
      return { kind: row.state }
    case 'uploading':
      return { kind: 'uploading', confirmedBytes: row.confirmedBytes }
    case 'done':
      return { kind: 'done', assetToken: row.assetToken ?? '' }
    case 'failed':
      return { kind: 'failed', reason: row.failReason ?? 'unknown error', retryable: row.retryable }
    default:
      return assertNever(row.state, 'job state')
  }
}
