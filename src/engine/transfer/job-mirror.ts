/**
 * The store's in-memory mirror: rows in the hot states (few at a time, read on every scheduling
 * pass) with their rowid for ordering, totals per state, and queued jobs per kind and priority.
 * SQLite stays the truth and is written first; the mirror is updated after each write and undone
 * when a transaction rolls back, so the scheduler's frequent reads cost nothing.
 */
import type { DatabaseSync } from 'node:sqlite'
import { transaction } from '../store/database.ts'
import { fromDb } from './job-row.ts'
import type { JobRow, StateKind } from './job-row.ts'

/** States whose rows the store keeps in memory. */
export const hotStates: ReadonlySet<StateKind> = new Set<StateKind>([
  'preparing',
  'uploading',
  'completing',
  'ingesting',
])

/** Counts and sums of one state. */
export interface Tally {
  count: number
  bytes: number
  confirmed: number
  unpaused: number
}

/** A mirrored row and its rowid (scheduling order among equal priorities). */
export interface HotEntry {
  readonly row: JobRow
  readonly rid: number
}

/** The mirror's reads and the hooks writes call. */
export interface JobMirror {
  readonly hot: ReadonlyMap<string, HotEntry>
  readonly tallies: ReadonlyMap<StateKind, Tally>
  /** Queued jobs per kind, per priority (paused and delayed ones included). */
  readonly queuedPriorities: ReadonlyMap<string, ReadonlyMap<number, number>>
  /** Records a write of one row (`before` undefined: inserted; `after` undefined: gone). */
  mirror(before: JobRow | undefined, after: JobRow | undefined, rid: number): void
  /** Counts a freshly inserted queued row (queued rows are not mirrored, only counted). */
  inserted(row: JobRow): void
  /** Runs `fn` in one transaction; the mirror follows a rollback. Nested calls join the outer one. */
  inTransaction<T>(fn: () => T): T
}

/** Loads the mirror from the database (after migration). */
export function createJobMirror(db: DatabaseSync): JobMirror {
  const hot = new Map<string, HotEntry>()
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
  // Queued jobs per kind and priority: lets the scheduler skip asking SQLite when nothing queued
  // could run or outrank what is already waiting.
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
  /** Undo log of the open transaction (undefined outside one). */
  let undo: (() => void)[] | undefined
  return {
    hot,
    tallies,
    queuedPriorities,
    mirror(before, after, rid) {
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
    },
    inserted(row) {
      tally(row, 1)
      undo?.push(() => tally(row, -1))
    },
    inTransaction(fn) {
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
    },
  }
}
