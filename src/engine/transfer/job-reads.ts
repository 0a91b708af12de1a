/**
 * The store's reads: hot states from the in-memory mirror, everything else from SQLite with the
 * few indexed queries the scheduler and the front ends need.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import { activeStates, fromDb } from './job-row.ts'
import type { JobRow, StateKind } from './job-row.ts'
import { hotStates } from './job-mirror.ts'
import type { HotEntry, JobMirror } from './job-mirror.ts'

/** What the store answers; all synchronous (node:sqlite). */
export interface JobReads {
  get(id: string): JobRow | undefined
  /** Many jobs by id in a few queries (unknown ids are absent from the map). */
  getMany(ids: readonly string[]): ReadonlyMap<string, JobRow>
  /**
   * Only the state and pause flag of many jobs by id (unknown ids are absent): what a rescan asks
   * of every pending file, without reading and copying whole rows.
   */
  statesOf(ids: readonly string[]): ReadonlyMap<string, JobStateOf>
  /** True when the pair has a job with work left that is not paused. */
  hasUnpausedWork(pairId: string): boolean
  /** Jobs in the given states, highest priority first, then oldest first (at most `limit`). */
  inStates(
    states: readonly StateKind[],
    filter?: { readonly pairId?: string; readonly limit?: number; readonly unpaused?: boolean },
  ): readonly JobRow[]
  /** Every job (of a pair) oldest first; with `newest`, only that many of the newest, newest first. */
  all(filter?: { readonly pairId?: string; readonly newest?: number }): readonly JobRow[]
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

/** A job's state and pause flag, as `statesOf` reads them. */
export interface JobStateOf {
  readonly state: StateKind
  readonly paused: boolean
}

/** The reads plus `load` (a row with its rowid), which the writes use. */
export interface JobReader extends JobReads {
  load(id: string): HotEntry | undefined
}

/** Builds the reads over a migrated database and its mirror; `statement` caches prepared SQL. */
export function createJobReads(
  db: DatabaseSync,
  mirror: JobMirror,
  statement: (sql: string) => StatementSync,
): JobReader {
  const selectOne = db.prepare('SELECT rowid AS rid, * FROM transfer_jobs WHERE id = ?')
  const selectMany = db.prepare(
    'SELECT * FROM transfer_jobs WHERE id IN (SELECT value FROM json_each(?))',
  )
  const selectStates = db.prepare(
    'SELECT id, state, paused FROM transfer_jobs WHERE id IN (SELECT value FROM json_each(?))',
  )
  selectStates.setReturnArrays(true)
  const selectUnpausedWork = db.prepare(
    `SELECT 1 FROM transfer_jobs WHERE pair_id = ? AND paused = 0
       AND state IN (${activeStates.map((state) => `'${state}'`).join(', ')}) LIMIT 1`,
  )
  const load = (id: string): HotEntry | undefined => {
    const cached = mirror.hot.get(id)
    if (cached !== undefined) return cached
    const raw = selectOne.get(id) as Record<string, unknown> | undefined
    return raw === undefined ? undefined : { row: fromDb(raw), rid: Number(raw.rid) }
  }
  return {
    load,
    get: (id) => load(id)?.row,
    getMany(ids) {
      const found = new Map<string, JobRow>()
      const cold: string[] = []
      for (const id of ids) {
        const cached = mirror.hot.get(id)
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
    },
    statesOf(ids) {
      const found = new Map<string, JobStateOf>()
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = selectStates.all(JSON.stringify(ids.slice(i, i + 1000))) as unknown as [
          string,
          StateKind,
          number,
        ][]
        for (const [id, state, paused] of rows) found.set(id, { state, paused: paused === 1 })
      }
      return found
    },
    hasUnpausedWork: (pairId) => selectUnpausedWork.get(pairId) !== undefined,
    inStates(states, filter) {
      if (states.length === 0) return []
      if (states.every((state) => hotStates.has(state))) {
        const wanted = new Set(states)
        const found: HotEntry[] = []
        for (const entry of mirror.hot.values()) {
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
      const args: SQLInputValue[] = []
      let sql = 'SELECT * FROM transfer_jobs'
      if (filter?.pairId !== undefined) {
        sql += ' WHERE pair_id = ?'
        args.push(filter.pairId)
      }
      if (filter?.newest === undefined) sql += ' ORDER BY rowid'
      else {
        sql += ' ORDER BY rowid DESC LIMIT ?'
        args.push(Math.max(1, Math.floor(filter.newest)))
      }
      const rows = db.prepare(sql).all(...args) as Record<string, unknown>[]
      return rows.map(fromDb)
    },
    countRunnable() {
      let n = 0
      for (const state of activeStates) n += mirror.tallies.get(state)?.unpaused ?? 0
      return n
    },
    counts() {
      const out = new Map<StateKind, { count: number; bytes: number; confirmed: number }>()
      for (const [state, t] of mirror.tallies) {
        if (t.count > 0) out.set(state, { count: t.count, bytes: t.bytes, confirmed: t.confirmed })
      }
      return out
    },
    queuedTop(kind) {
      const byPriority = mirror.queuedPriorities.get(kind)
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
        `SELECT pair_id, MIN(not_before) AS at, fail_reason FROM transfer_jobs INDEXED BY transfer_jobs_retry
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
