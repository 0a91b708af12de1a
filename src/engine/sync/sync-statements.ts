/**
 * Statement helpers for the sync engine's tables (the index, the board map): each SQL text
 * prepared once and reused (the worker runs the same few statements for every file), typed reads,
 * and one transaction that nests.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import { transaction } from '../store/database.ts'

/** What every group of the index's queries runs its SQL with. */
export interface SyncStatements {
  all<T>(sql: string, ...params: SQLInputValue[]): T[]
  one<T>(sql: string, ...params: SQLInputValue[]): T | undefined
  run(sql: string, ...params: SQLInputValue[]): void
  /** Runs `fn` in one transaction (inside one already open, simply runs it). */
  atomically<T>(fn: () => T): T
}

/** Creates the helpers over a database handle, with their own cache of prepared statements. */
export function createSyncStatements(db: DatabaseSync): SyncStatements {
  const statements = new Map<string, StatementSync>()
  const prepared = (sql: string): StatementSync => {
    let statement = statements.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      statements.set(sql, statement)
    }
    return statement
  }
  const all = <T>(sql: string, ...params: SQLInputValue[]): T[] =>
    prepared(sql).all(...params) as unknown as T[]
  const one = <T>(sql: string, ...params: SQLInputValue[]): T | undefined =>
    prepared(sql).get(...params) as unknown as T | undefined
  const run = (sql: string, ...params: SQLInputValue[]): void => {
    prepared(sql).run(...params)
  }
  const atomically = <T>(fn: () => T): T => (db.isTransaction ? fn() : transaction(db, fn))
  return { all, one, run, atomically }
}
