/**
 * One writer per home: only one process at a time runs the queue and sync on a home folder (the
 * desktop app, the headless host and the CLI all take this lock through `createEngine`). A second
 * process waits, saying so, until the first ends; nothing is prepared, uploaded or completed by two.
 *
 * The lock is an exclusive SQLite transaction held open on `writer.lock` in the home: SQLite's
 * own file locking (POSIX locks on Unix, LockFileEx on Windows), which the operating system drops
 * the moment the holding process dies, even by SIGKILL. So there are no stale locks to guess
 * about, and no native addon. `writer.json` beside it names the holder for the waiting message.
 */
import { chmodSync, closeSync, openSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

/** A held lock; `release` ends it (idempotent). */
export interface HomeLock {
  release(): void
}

/** Who holds a home, as written in `writer.json`. */
export interface HomeHolder {
  readonly pid: number
  readonly since: string
  readonly what: string
}

/** Options for {@link acquireHomeLock}. */
export interface HomeLockOptions {
  /** What this process is, for the other side's message (e.g. "playbook-sync upload"). */
  readonly what?: string
  /** Called once when the lock is busy, with a plain-words message naming the holder. */
  readonly onWait?: (message: string, holder: HomeHolder | undefined) => void
  /** How often to try again while waiting (default 250 ms). */
  readonly pollMs?: number
  readonly signal?: AbortSignal
}

/** Tries once; undefined when another process holds the home. */
export function tryHomeLock(home: string): HomeLock | undefined {
  const file = join(home, 'writer.lock')
  // Private like every file of the home (it is empty, but its name says who works here).
  closeSync(openSync(file, 'a', 0o600))
  chmodSync(file, 0o600)
  const db = new DatabaseSync(file)
  try {
    db.exec('PRAGMA busy_timeout = 0')
    db.exec('BEGIN EXCLUSIVE')
  } catch (e) {
    db.close()
    if (isBusy(e)) return undefined
    throw e
  }
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      try {
        db.exec('ROLLBACK')
      } finally {
        db.close()
      }
    },
  }
}

/** Waits until this process is the home's only writer. */
export async function acquireHomeLock(
  home: string,
  options: HomeLockOptions = {},
): Promise<HomeLock> {
  let told = false
  for (;;) {
    const lock = tryHomeLock(home)
    if (lock !== undefined) {
      const holder: HomeHolder = {
        pid: process.pid,
        since: new Date().toISOString(),
        what: options.what ?? 'Playbook Sync',
      }
      await writeFile(join(home, 'writer.json'), JSON.stringify(holder), { mode: 0o600 }).catch(
        () => {},
      )
      return lock
    }
    if (!told) {
      told = true
      const holder = await readHolder(home)
      const who =
        holder === undefined ? 'Another Playbook Sync' : `${holder.what} (process ${holder.pid})`
      options.onWait?.(
        `${who} is using this home folder (${home}); waiting for it to finish before starting, so no file is uploaded twice`,
        holder,
      )
    }
    if (options.signal?.aborted) throw new Error('stopped while waiting for the home folder')
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250))
  }
}

async function readHolder(home: string): Promise<HomeHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(home, 'writer.json'), 'utf8')) as HomeHolder
    return typeof parsed.pid === 'number' ? parsed : undefined
  } catch {
    return undefined
  }
}

function isBusy(e: unknown): boolean {
  const err = e as { errcode?: number; code?: string; message?: string }
  return err.errcode === 5 || err.errcode === 6 || /locked|busy/i.test(err.message ?? '')
}
