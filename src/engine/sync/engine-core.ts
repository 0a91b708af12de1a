/**
 * What the sync engine's parts share: the index, the queue, the pairs' runtimes and the ways to
 * report a change. Built once by `createSyncEngine` and handed to each part, so the parts stay
 * small files that do not reach into one another's state.
 */
import type { Logger } from '../engine-types.ts'
import type { TransferQueue } from '../transfer/types.ts'
import type { Runtime } from './pair-runtime.ts'
import type { WorkerContext } from './worker-context.ts'
import type { SyncEvent } from './sync-engine-types.ts'
import type { SyncStore } from './sync-store.ts'
import type { IgnoredStore } from './ignored-store.ts'

/** The engine's shared context. */
export interface EngineCore {
  readonly store: SyncStore
  /** What each pair's last scan ignored, and why (the Skipped list). */
  readonly ignored: IgnoredStore
  readonly queue: TransferQueue
  readonly log: Logger
  readonly now: () => number
  /** What the per-batch worker (pair-worker.ts) is given. */
  readonly worker: WorkerContext
  /** Every pair's runtime by pair id. */
  readonly runtimes: Map<string, Runtime>
  /** Watch folders live (false for one-off syncs). */
  readonly watchEnabled: boolean
  /** True between `start` and `stop`. */
  readonly isStarted: () => boolean
  /** Sends an event to the engine's subscribers. */
  readonly emit: (event: SyncEvent) => void
  /** The state database failed (full disk, damaged, locked): the engine stops and says so. */
  readonly onTrouble: (error: unknown) => void
  /** Marks one pair (or all) as changed: a snapshot is emitted soon and idle waiters rechecked. */
  readonly changed: (rt?: Runtime) => void
}
