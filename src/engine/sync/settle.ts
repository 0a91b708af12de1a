/**
 * Decides when a file has been saved: its size, mtime and inode must stay the same for `settleMs`.
 * Apps that write in steps, copy slowly or save through a temp file and a rename keep changing
 * these, so nothing is uploaded half-written; a path that vanishes is reported as gone.
 */
import type { FileFacts } from './file-facts.ts'

/** What the tracker needs from its host. */
export interface SettleOptions {
  readonly settleMs: number
  /** How often a settling file is looked at; default settleMs / 4, between 25 ms and 500 ms. */
  readonly pollMs?: number
  /** Current facts of a file, or undefined when it is gone (or is no longer a regular file). */
  readonly stat: (relPath: string) => Promise<FileFacts | undefined>
  readonly now: () => number
  readonly onSettled: (relPath: string, facts: FileFacts) => void
  readonly onGone: (relPath: string) => void
  readonly onError: (relPath: string, error: unknown) => void
}

/** Tracks files that may still be changing. */
export interface Settler {
  /** Something happened to `relPath`: (re)start waiting for it to settle. */
  touch(relPath: string): void
  /** Stops tracking one path. */
  forget(relPath: string): void
  /** Paths still settling. */
  paths(): readonly string[]
  /** Stops all timers; nothing is reported afterwards. */
  clear(): void
}

interface Entry {
  facts: FileFacts | undefined
  stableSince: number
  timer: ReturnType<typeof setTimeout> | undefined
  checking: boolean
  touchedWhileChecking: boolean
}

/** Creates a settle tracker. */
export function createSettler(options: SettleOptions): Settler {
  const pollMs = options.pollMs ?? Math.min(500, Math.max(25, Math.floor(options.settleMs / 4)))
  const entries = new Map<string, Entry>()
  let cleared = false

  const schedule = (relPath: string, entry: Entry, delay: number): void => {
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      void check(relPath, entry)
    }, delay)
  }

  const check = async (relPath: string, entry: Entry): Promise<void> => {
    entry.checking = true
    entry.touchedWhileChecking = false
    let facts: FileFacts | undefined
    try {
      facts = await options.stat(relPath)
    } catch (error) {
      entry.checking = false
      if (entries.get(relPath) !== entry || cleared) return
      entries.delete(relPath)
      options.onError(relPath, error)
      return
    }
    entry.checking = false
    if (entries.get(relPath) !== entry || cleared) return
    const now = options.now()
    if (facts === undefined) {
      entries.delete(relPath)
      options.onGone(relPath)
      return
    }
    const previous = entry.facts
    if (
      previous === undefined ||
      entry.touchedWhileChecking ||
      previous.size !== facts.size ||
      previous.mtimeMs !== facts.mtimeMs ||
      previous.ino !== facts.ino
    ) {
      entry.facts = facts
      entry.stableSince = now
    }
    const waited = now - entry.stableSince
    if (waited >= options.settleMs) {
      entries.delete(relPath)
      options.onSettled(relPath, facts)
      return
    }
    schedule(relPath, entry, Math.min(pollMs, Math.max(1, options.settleMs - waited)))
  }

  return {
    touch(relPath) {
      if (cleared) return
      const existing = entries.get(relPath)
      if (existing) {
        existing.stableSince = options.now()
        if (existing.checking) existing.touchedWhileChecking = true
        return
      }
      const entry: Entry = {
        facts: undefined,
        stableSince: options.now(),
        timer: undefined,
        checking: false,
        touchedWhileChecking: false,
      }
      entries.set(relPath, entry)
      void check(relPath, entry)
    },
    forget(relPath) {
      const entry = entries.get(relPath)
      if (entry?.timer) clearTimeout(entry.timer)
      entries.delete(relPath)
    },
    paths() {
      return [...entries.keys()]
    },
    clear() {
      cleared = true
      for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer)
      entries.clear()
    },
  }
}
