/**
 * Pair snapshots, counts and idle tracking: turns a pair's runtime and index counts into the
 * status the UI and CLI read, emits a snapshot only when it changed (at most every 100 ms), and
 * resolves `idle()` waiters once nothing is left to do.
 */
import type { Logger } from '../engine-types.ts'
import type { TransferQueue } from '../transfer/types.ts'
import type { PairSnapshot, PairStatus } from '../../shared/pair-models.ts'
import { isUpToDate, tallyOf, waitCauseOf } from '../status/pair-tally.ts'
import { waitingCount } from './pair-runtime.ts'
import type { Runtime } from './pair-runtime.ts'
import type { SyncEvent } from './sync-engine-types.ts'
import type { SyncStore } from './sync-store.ts'

/** What the status board reads. */
export interface StatusBoardOptions {
  readonly store: SyncStore
  readonly queue: TransferQueue
  readonly log: Logger
  readonly runtimes: ReadonlyMap<string, Runtime>
  /** More of the snapshot from other parts (the board map's mapping and folder boards). */
  readonly extra?: (rt: Runtime) => Partial<PairSnapshot>
}

/** Snapshots, change notification and idle waiters for every pair. */
export interface StatusBoard {
  snapshotOf(rt: Runtime): PairSnapshot
  /** Marks one pair (or all) as changed; a snapshot goes out within 100 ms. */
  changed(rt?: Runtime): void
  emit(event: SyncEvent): void
  subscribe(listener: (event: SyncEvent) => void): () => void
  /** The queue went offline or came back. */
  setOnline(online: boolean): void
  /** Resolves when the pair (or every pair) is idle. */
  whenIdle(pairId: string | undefined): Promise<void>
  /** Cancels the pending snapshot and releases every idle waiter. */
  stop(): void
}

const SNAPSHOT_INTERVAL_MS = 100

/** Builds the status board over the engine's runtimes. */
export function createStatusBoard(options: StatusBoardOptions): StatusBoard {
  const { store, queue, log, runtimes } = options
  const listeners = new Set<(event: SyncEvent) => void>()
  const waiters = new Set<{ pairId: string | undefined; resolve: () => void }>()
  let online = true
  let snapshotTimer: ReturnType<typeof setTimeout> | undefined
  let lastSnapshotAt = 0

  const emit = (event: SyncEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        log.error('sync listener failed', { error: String(error) })
      }
    }
  }

  const statusOf = (rt: Runtime, pending: number): PairStatus => {
    if (rt.row.paused) return { kind: 'paused' }
    if (rt.error) return { kind: 'error', ...rt.error }
    if (rt.scanning || rt.scanQueued) return { kind: 'scanning' }
    if (pending > 0 || rt.inFlight > 0) return online ? { kind: 'syncing' } : { kind: 'offline' }
    return { kind: 'idle' }
  }

  const snapshotOf = (rt: Runtime): PairSnapshot => {
    const counts = store.counts(rt.row.id)
    const inMemory = waitingCount(rt)
    const pending = counts.pending + inMemory
    const uploadingJobs = queue.moving().get(rt.row.id) ?? 0
    const tally = tallyOf({ counts, inMemory, ignored: rt.row.ignoredCount, uploadingJobs })
    const wait = waitCauseOf({
      pairPaused: rt.row.paused,
      hasWork: pending > 0 || rt.inFlight > 0,
      queue: queue.waitState(),
      retry: pending > 0 ? queue.retryWaits().get(rt.row.id) : undefined,
      uploadingJobs,
    })
    return {
      id: rt.row.id,
      folder: rt.row.folder,
      org: rt.row.org,
      board: rt.row.board,
      ...(rt.row.boardTitle === null ? {} : { boardTitle: rt.row.boardTitle }),
      settings: rt.row.settings,
      status: statusOf(rt, pending),
      counts: {
        synced: counts.synced,
        pending,
        failed: counts.failed + counts.unreadable + counts.cancelled,
        ignored: rt.row.ignoredCount,
      },
      tally,
      upToDate: isUpToDate(tally) && !rt.scanning && !rt.scanQueued && rt.error === undefined,
      ...(wait ? { wait } : {}),
      lastSyncAt: rt.row.lastSyncAt,
      ...(rt.watch ? { watch: rt.watch } : {}),
      ...options.extra?.(rt),
    }
  }

  const isIdle = (rt: Runtime): boolean => {
    if (rt.removed || rt.row.paused) return true
    if (rt.scanning || rt.scanQueued || rt.inFlight > 0 || waitingCount(rt) > 0) return false
    if (rt.watcher && !rt.watcherReady) return false
    if (store.counts(rt.row.id).pending > 0) return false
    return !queue.hasUnpausedWork(rt.row.id)
  }

  const flushSnapshots = (): void => {
    snapshotTimer = undefined
    lastSnapshotAt = Date.now()
    for (const rt of runtimes.values()) {
      if (!rt.dirty) continue
      rt.dirty = false
      const snapshot = snapshotOf(rt)
      const text = JSON.stringify(snapshot)
      if (text !== rt.lastEmitted) {
        rt.lastEmitted = text
        emit({ type: 'pair', pair: snapshot })
      }
    }
    for (const waiter of [...waiters]) {
      const targets =
        waiter.pairId === undefined ? [...runtimes.values()] : [runtimes.get(waiter.pairId)]
      if (targets.every((rt) => rt === undefined || isIdle(rt))) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    }
  }

  const changed = (rt?: Runtime): void => {
    if (rt) rt.dirty = true
    else for (const each of runtimes.values()) each.dirty = true
    if (snapshotTimer) return
    const wait = Math.max(0, lastSnapshotAt + SNAPSHOT_INTERVAL_MS - Date.now())
    snapshotTimer = setTimeout(flushSnapshots, wait)
  }

  return {
    snapshotOf,
    changed,
    emit,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setOnline(value) {
      online = value
      changed()
    },
    whenIdle(pairId) {
      return new Promise<void>((resolveIdle) => {
        waiters.add({ pairId, resolve: resolveIdle })
        changed()
      })
    },
    stop() {
      if (snapshotTimer) clearTimeout(snapshotTimer)
      snapshotTimer = undefined
      for (const waiter of [...waiters]) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    },
  }
}
