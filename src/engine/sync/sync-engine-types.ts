/**
 * The sync engine's public shapes: what it is built from (options), what `addPair` takes, the
 * events it emits and its commands. Kept apart from the wiring (sync-engine.ts) so the parts that
 * only need a type do not import the engine.
 */
import type { DatabaseSync } from 'node:sqlite'
import type { Clock, EngineEvent, Logger } from '../engine-types.ts'
import type { TransferQueue } from '../transfer/types.ts'
import type {
  BoardMapping,
  PairFileState,
  PairPreview,
  PairSettings,
  PairSnapshot,
  PreviewBranch,
} from '../../shared/pair-models.ts'
import type { SkippedFile, SyncIssue } from '../../shared/sync-status-models.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import type { RouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import type { BoardDirectory } from './board-map.ts'
import type { WatcherPort } from './watcher.ts'

/** What the sync engine is built from. */
export interface SyncEngineOptions {
  /** The state database (shared with the queue); the engine creates its own `sync_*` tables. */
  readonly db: DatabaseSync
  readonly queue: TransferQueue
  readonly log: Logger
  readonly clock?: Clock
  /** Watch folders live after the catch-up scan; false for one-off syncs (`sync --once`). Default true. */
  readonly watch?: boolean
  /** The file watcher; default chokidar. */
  readonly watcher?: WatcherPort
  /** Settings every new pair starts from (over the built-in defaults). */
  readonly defaults?: Partial<PairSettings>
  /** Ignore patterns every pair applies on top of its own (the app's settings); see `setSharedIgnore`. */
  readonly sharedIgnorePatterns?: readonly string[]
  /** How often a pair whose watcher failed is rescanned; default 60 s. */
  readonly rescanIntervalMs?: number
  /** Requests per `enqueue` call; default 200. */
  readonly batchSize?: number
  /** Files hashed at once per pair; default 2. */
  readonly hashConcurrency?: number
  /** Called when the state database fails (full disk, damaged, locked); default: logged. */
  readonly onTrouble?: (error: unknown) => void
  /**
   * The API client, for carrying renames and moves to the board (asset-edits.ts). Without it a
   * rename only updates the index.
   */
  readonly client?: PlaybookClient
  /**
   * The engine's memory of assumed routes this Playbook lacks, told when renames or moves cannot
   * be carried to the board (default: the sync engine's own).
   */
  readonly routes?: RouteMissingMemory
  /** Playbook's boards, for sub-folders as child boards; absent: every file on the pair's board. */
  readonly boardDirectory?: BoardDirectory
}

/** What `addPair` takes; `org` is the signed-in organization's slug. */
export interface AddPairInput {
  readonly folder: string
  readonly org: string
  readonly board: string
  readonly boardTitle?: string
  readonly settings?: Partial<PairSettings>
  /** Where sub-folders go; default: each to a child board (`flatMapping` keeps them on `board`). */
  readonly mapping?: BoardMapping
}

/** Events the engine emits: one per pair change (the engine's own event shapes, passed on as they are). */
export type SyncEvent = Extract<EngineEvent, { readonly type: 'pair' | 'pair-removed' | 'notice' }>

/** The sync engine's commands. */
export interface SyncEngine {
  /** Pairs a folder with a board (idempotent for the same folder, org and board). */
  addPair(input: AddPairInput): Promise<PairSnapshot>
  /** Forgets a pair; nothing is deleted on Playbook, queued uploads are left to finish. */
  removePair(pairId: string): Promise<void>
  /**
   * Replaces the ignore patterns every pair shares; running pairs rescan at once (newly ignored
   * files are set aside with the reason, no longer ignored ones are queued). Bad patterns throw.
   */
  setSharedIgnore(patterns: readonly string[]): Promise<void>
  /** Changes a pair's settings; takes effect with a fresh watcher and scan. */
  updatePair(
    pairId: string,
    patch: {
      readonly settings?: Partial<PairSettings>
      readonly boardTitle?: string
      /** A new folder → board mapping (the add-folder choices, edited later). */
      readonly mapping?: BoardMapping
    },
  ): Promise<PairSnapshot>
  pairs(): readonly PairSnapshot[]
  pair(pairId: string): PairSnapshot | undefined
  /** What pairing a folder would upload, without touching the index. */
  /** `countOnBoard`, when given, says how many of the files the target board already holds. */
  preview(
    folder: string,
    settings?: Partial<PairSettings>,
    countOnBoard?: (files: readonly { relPath: string; size: number }[]) => Promise<number>,
    tree?: (
      files: readonly { relPath: string; size: number }[],
    ) => Promise<readonly PreviewBranch[]>,
  ): Promise<PairPreview>
  /** Catch-up scan of one pair or all; resolves when every found change is queued. */
  scan(pairId?: string): Promise<void>
  /** Starts watching (if enabled) and scanning every pair that is not paused. */
  start(): Promise<void>
  /** Stops watchers and timers and waits for work in progress; the index is kept. */
  stop(): Promise<void>
  pause(pairId?: string): void
  resume(pairId?: string): void
  subscribe(listener: (event: SyncEvent) => void): () => void
  /** Files that need the user (cannot be read, failed, cancelled) of one pair or all, by folder and path. */
  issues(pairId?: string): readonly SyncIssue[]
  /** Brings issues back (all of a pair's or all pairs', or the given paths); resolves once queued. */
  retryIssues(pairId?: string, relPaths?: readonly string[]): Promise<number>
  /** Files skipped on purpose (ignored by a rule, same content, skipped change), with reasons. */
  skipped(pairId?: string): readonly SkippedFile[]
  /** Queues a skipped file once with force; resolves with its job id. */
  uploadAnyway(pairId: string, relPath: string): Promise<string>
  /** Every known file of a pair (deleted ones too) and the ones still settling. */
  fileStates(pairId: string): readonly PairFileState[]
  /** Resolves when no scan runs, nothing settles or waits, and the pair's (or all pairs') jobs are done. */
  idle(pairId?: string): Promise<void>
}
