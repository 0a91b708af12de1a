/**
 * The live, in-memory state of one pair inside the sync engine (its row, ignore rules, watcher,
 * settle tracker, work chain and batches waiting to be flushed), shared by the engine's parts.
 */
import type { Logger } from '../engine-types.ts'
import type { PairWatchState } from '../../shared/pair-models.ts'
import type { FileFacts } from './file-facts.ts'
import { createIgnoreRules } from './ignore-rules.ts'
import type { IgnoreRules } from './ignore-rules.ts'
import type { Settler } from './settle.ts'
import type { PairRow } from './sync-store.ts'
import type { FolderWatcher } from './watcher.ts'

/** One pair's runtime state; mutated in place by the engine's parts, never persisted. */
export interface Runtime {
  row: PairRow
  rules: IgnoreRules
  /** The ignore patterns every pair shares (the app's settings), part of `rules`. */
  sharedIgnore: readonly string[]
  settler: Settler | undefined
  watcher: FolderWatcher | undefined
  /** True once the watcher finished its initial crawl (events before that may be missed). */
  watcherReady: boolean
  watch: PairWatchState | undefined
  rescanTimer: ReturnType<typeof setInterval> | undefined
  /** Why the pair is rescanned periodically: a watcher limit, or a folder that went missing. */
  rescanCause: 'limit' | 'missing' | undefined
  scanning: boolean
  scanQueued: Promise<void> | undefined
  work: Promise<void>
  inFlight: number
  present: Map<string, FileFacts>
  gone: Set<string>
  flushTimer: ReturnType<typeof setTimeout> | undefined
  error: { reason: string; hint?: string } | undefined
  removed: boolean
  lastEmitted: string | undefined
  dirty: boolean
}

/**
 * The ignore rules a pair's row asks for, with the patterns every pair shares (the app's
 * settings) first; rebuilt when either changes.
 */
export function rulesFor(row: PairRow, log: Logger, shared: readonly string[] = []): IgnoreRules {
  return createIgnoreRules(row.folder, {
    includeHidden: row.settings.includeHidden,
    patterns: row.settings.ignorePatterns,
    sharedPatterns: shared,
    log,
  })
}

/** A fresh runtime for a stored pair: nothing watched, scanned or waiting yet. */
export function createRuntime(row: PairRow, log: Logger, shared: readonly string[] = []): Runtime {
  return {
    row,
    rules: rulesFor(row, log, shared),
    sharedIgnore: shared,
    settler: undefined,
    watcher: undefined,
    watcherReady: false,
    watch: undefined,
    rescanTimer: undefined,
    rescanCause: undefined,
    scanning: false,
    scanQueued: undefined,
    work: Promise.resolve(),
    inFlight: 0,
    present: new Map(),
    gone: new Set(),
    flushTimer: undefined,
    error: undefined,
    removed: false,
    lastEmitted: undefined,
    dirty: true,
  }
}

/** Files a pair holds in memory that the index does not count yet (settling or batched). */
export function waitingCount(rt: Runtime): number {
  return (rt.settler?.paths().length ?? 0) + rt.present.size + rt.gone.size
}
