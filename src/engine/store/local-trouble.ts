/**
 * Local trouble in words: a full disk, a damaged or locked state database, a home folder that
 * cannot be written. Each gets a message naming the folder and what to do; nothing is lost (every
 * step was written before the one it guards) and the next run carries on where this one stopped.
 */

/** Which kind of local trouble. */
export type LocalTroubleKind = 'disk-full' | 'damaged' | 'locked' | 'unwritable'

/** A local problem, described for a person. */
export interface LocalTrouble {
  readonly kind: LocalTroubleKind
  readonly message: string
  readonly hint: string
}

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_READONLY = 8
const SQLITE_IOERR = 10
const SQLITE_CORRUPT = 11
const SQLITE_FULL = 13
const SQLITE_CANTOPEN = 14
const SQLITE_NOTADB = 26

function kindOf(e: unknown): LocalTroubleKind | undefined {
  if (!(e instanceof Error)) return undefined
  const err = e as Error & { code?: unknown; errcode?: unknown }
  const text = e.message
  if (err.code === 'ERR_SQLITE_ERROR' || typeof err.errcode === 'number') {
    const primary = typeof err.errcode === 'number' ? err.errcode & 0xff : -1
    if (primary === SQLITE_FULL || /database or disk is full/i.test(text)) return 'disk-full'
    if (
      primary === SQLITE_CORRUPT ||
      primary === SQLITE_NOTADB ||
      /malformed|not a database/i.test(text)
    )
      return 'damaged'
    if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED || /database is locked/i.test(text))
      return 'locked'
    if (primary === SQLITE_READONLY || primary === SQLITE_CANTOPEN) return 'unwritable'
    if (primary === SQLITE_IOERR) return /full|space/i.test(text) ? 'disk-full' : 'damaged'
    return undefined
  }
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'disk-full'
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTDIR':
    case 'EEXIST':
      return 'unwritable'
    default:
      return undefined
  }
}

/** True when `e` comes from the state database (not from a synced file or folder). */
export function isStateTrouble(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  const err = e as Error & { code?: unknown; errcode?: unknown }
  return (err.code === 'ERR_SQLITE_ERROR' || typeof err.errcode === 'number') && isLocalTrouble(e)
}

/** True when `e` is local trouble (as opposed to a network or file-specific problem). */
export function isLocalTrouble(e: unknown): boolean {
  return kindOf(e) !== undefined
}

/** Describes `e` for a person when it is local trouble with the state kept in `home`. */
export function describeLocalTrouble(e: unknown, home: string): LocalTrouble | undefined {
  const kind = kindOf(e)
  if (kind === undefined) return undefined
  const detail = e instanceof Error ? e.message : String(e)
  switch (kind) {
    case 'disk-full':
      return {
        kind,
        message: `the disk holding ${home} is full (${detail})`,
        hint: 'free some space and run again; nothing was lost, the queue carries on where it stopped',
      }
    case 'damaged':
      return {
        kind,
        message: `the state database in ${home} is damaged (${detail})`,
        hint: `move ${home}/state.db aside (or restore a backup of it) and run again`,
      }
    case 'locked':
      return {
        kind,
        message: `the state database in ${home} is locked by another process (${detail})`,
        hint: 'close the other playbook-sync (or the app) using this folder, or pass another --home',
      }
    case 'unwritable':
      return {
        kind,
        message: `cannot write to ${home} (${detail})`,
        hint: 'make the folder writable, or choose another with --home / PLAYBOOK_SYNC_HOME',
      }
  }
}
