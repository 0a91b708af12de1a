/**
 * The sync engine: pairs local folders with boards and keeps them in sync through the transfer
 * queue. Catch-up scans (on start and on demand) and live watching feed the same per-pair work
 * chain; files wait until they settle; results come back from the queue's job events.
 */
import { createHash } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { basename, dirname, relative, resolve, sep } from 'node:path'
import type { Stats } from 'node:fs'
import type { DatabaseSync } from 'node:sqlite'
import type { Clock, Logger } from '../engine-types.ts'
import type { QueueEvent, TransferQueue } from '../transfer/types.ts'
import type {
  PairFileState,
  PairPreview,
  PairSettings,
  PairSnapshot,
  PairStatus,
  PairWatchState,
} from '../../shared/pair-models.ts'
import { factsOf, kindOf, lstatOrMissing } from './file-facts.ts'
import type { FileFacts, ScannedFile } from './file-facts.ts'
import { createIgnoreRules, IGNORE_FILE } from './ignore-rules.ts'
import type { IgnoreRules } from './ignore-rules.ts'
import { resolvePairSettings } from './pair-settings.ts'
import {
  absolutePath,
  fileResultOf,
  isSettledJob,
  processGone,
  processPresent,
} from './pair-worker.ts'
import type { PairHandle, WorkerContext } from './pair-worker.ts'
import { assertFolder, walkFolder } from './scanner.ts'
import { createSettler } from './settle.ts'
import type { Settler } from './settle.ts'
import { createSyncStore } from './sync-store.ts'
import type { PairRow, SyncStore } from './sync-store.ts'
import { describeWatchError } from './watch-errors.ts'
import { chokidarWatcher } from './watcher.ts'
import type { FolderWatcher, WatchEvent, WatcherPort } from './watcher.ts'

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
  /** How often a pair whose watcher failed is rescanned; default 60 s. */
  readonly rescanIntervalMs?: number
  /** Requests per `enqueue` call; default 200. */
  readonly batchSize?: number
  /** Files hashed at once per pair; default 2. */
  readonly hashConcurrency?: number
}

/** What `addPair` takes; `org` is the signed-in organization's slug. */
export interface AddPairInput {
  readonly folder: string
  readonly org: string
  readonly board: string
  readonly boardTitle?: string
  readonly settings?: Partial<PairSettings>
}

/** Events the engine emits: one per pair change (the same shapes as the engine's own events). */
export type SyncEvent =
  | { readonly type: 'pair'; readonly pair: PairSnapshot }
  | { readonly type: 'pair-removed'; readonly pairId: string }
  | {
      readonly type: 'notice'
      readonly level: 'info' | 'warning' | 'error'
      readonly message: string
    }

/** The sync engine's commands. */
export interface SyncEngine {
  /** Pairs a folder with a board (idempotent for the same folder, org and board). */
  addPair(input: AddPairInput): Promise<PairSnapshot>
  /** Forgets a pair; nothing is deleted on Playbook, queued uploads are left to finish. */
  removePair(pairId: string): Promise<void>
  /** Changes a pair's settings; takes effect with a fresh watcher and scan. */
  updatePair(
    pairId: string,
    patch: { readonly settings?: Partial<PairSettings>; readonly boardTitle?: string },
  ): Promise<PairSnapshot>
  pairs(): readonly PairSnapshot[]
  pair(pairId: string): PairSnapshot | undefined
  /** What pairing a folder would upload, without touching the index. */
  preview(folder: string, settings?: Partial<PairSettings>): Promise<PairPreview>
  /** Catch-up scan of one pair or all; resolves when every found change is queued. */
  scan(pairId?: string): Promise<void>
  /** Starts watching (if enabled) and scanning every pair that is not paused. */
  start(): Promise<void>
  /** Stops watchers and timers and waits for work in progress; the index is kept. */
  stop(): Promise<void>
  pause(pairId?: string): void
  resume(pairId?: string): void
  subscribe(listener: (event: SyncEvent) => void): () => void
  /** Every known file of a pair (deleted ones too) and the ones still settling. */
  fileStates(pairId: string): readonly PairFileState[]
  /** Resolves when no scan runs, nothing settles or waits, and the pair's (or all pairs') jobs are done. */
  idle(pairId?: string): Promise<void>
}

interface Runtime {
  row: PairRow
  rules: IgnoreRules
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

const SNAPSHOT_INTERVAL_MS = 100
const ACTIVE_JOB_STATES = ['queued', 'preparing', 'uploading', 'completing', 'ingesting'] as const
const FLUSH_DELAY_MS = 50

/** A stable id for a folder ↔ board pair, so re-adding a pair reuses its index and dedupe keys. */
export function pairIdFor(folder: string, org: string, board: string): string {
  return (
    'pair_' + createHash('sha256').update(`${folder}\0${org}\0${board}`).digest('hex').slice(0, 16)
  )
}

/** Builds the sync engine. Nothing runs until `start`, `scan` or `addPair` (after start). */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { queue, log } = options
  const store: SyncStore = createSyncStore(options.db)
  const now = (): number => options.clock?.now() ?? Date.now()
  const watchEnabled = options.watch ?? true
  const watcherPort = options.watcher ?? chokidarWatcher
  const rescanIntervalMs = options.rescanIntervalMs ?? 60_000
  const ctx: WorkerContext = {
    store,
    queue,
    log,
    now,
    batchSize: Math.max(1, options.batchSize ?? 200),
    hashConcurrency: Math.max(1, options.hashConcurrency ?? 2),
  }
  const runtimes = new Map<string, Runtime>()
  const listeners = new Set<(event: SyncEvent) => void>()
  const waiters = new Set<{ pairId: string | undefined; resolve: () => void }>()
  let started = false
  let online = true
  let snapshotTimer: ReturnType<typeof setTimeout> | undefined
  let lastSnapshotAt = 0
  let unsubscribeQueue: (() => void) | undefined

  const emit = (event: SyncEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        log.error('sync listener failed', { error: String(error) })
      }
    }
  }

  // ---- snapshots and idle -------------------------------------------------------------------

  const statusOf = (rt: Runtime, pending: number): PairStatus => {
    if (rt.row.paused) return { kind: 'paused' }
    if (rt.error) return { kind: 'error', ...rt.error }
    if (rt.scanning || rt.scanQueued) return { kind: 'scanning' }
    if (pending > 0 || rt.inFlight > 0) return online ? { kind: 'syncing' } : { kind: 'offline' }
    return { kind: 'idle' }
  }

  const waitingCount = (rt: Runtime): number =>
    (rt.settler?.paths().length ?? 0) + rt.present.size + rt.gone.size

  const snapshotOf = (rt: Runtime): PairSnapshot => {
    const counts = store.counts(rt.row.id)
    const pending = counts.pending + waitingCount(rt)
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
        failed: counts.failed,
        ignored: rt.row.ignoredCount,
      },
      lastSyncAt: rt.row.lastSyncAt,
      ...(rt.watch ? { watch: rt.watch } : {}),
    }
  }

  const isIdle = (rt: Runtime): boolean => {
    if (rt.removed || rt.row.paused) return true
    if (rt.scanning || rt.scanQueued || rt.inFlight > 0 || waitingCount(rt) > 0) return false
    if (rt.watcher && !rt.watcherReady) return false
    if (store.counts(rt.row.id).pending > 0) return false
    return queue.jobs({ pairId: rt.row.id, states: ACTIVE_JOB_STATES }).every((job) => job.paused)
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

  // ---- queue events -------------------------------------------------------------------------

  const onQueueEvent = (event: QueueEvent): void => {
    switch (event.type) {
      case 'job-changed': {
        const job = event.job
        if (job.pairId === undefined) return
        const owner = runtimes.get(job.pairId)
        if (owner && isSettledJob(job)) changed(owner)
        const result = fileResultOf(job)
        if (result.state === 'pending' && job.state.kind !== 'queued') return
        const rows = store.filesOfJob(job.id)
        if (rows.length === 0) return
        if (
          rows.every(
            (row) =>
              row.state === result.state &&
              (result.assetToken ?? row.assetToken) === row.assetToken,
          )
        )
          return
        store.setJobResult(job.id, result, now())
        for (const pairId of new Set(rows.map((row) => row.pairId))) {
          const rt = runtimes.get(pairId)
          if (!rt) continue
          if (result.state === 'synced') {
            rt.row = { ...rt.row, lastSyncAt: now() }
            store.updatePair(pairId, { lastSyncAt: rt.row.lastSyncAt })
          }
          changed(rt)
        }
        return
      }
      case 'job-source-changed':
        onSourceChanged(event.job.id)
        return
      case 'offline':
        online = false
        changed()
        return
      case 'online':
        online = true
        changed()
        return
      case 'job-added':
      case 'job-progress':
      case 'auth-required':
      case 'totals':
        return
    }
  }

  /** A file changed or vanished mid-upload: release the job's key and let the file settle again. */
  const onSourceChanged = (jobId: string): void => {
    const rows = store.filesOfJob(jobId).filter((row) => row.deletedAt === null)
    store.atomically(() => {
      for (const row of rows) {
        store.putFile({
          ...row,
          size: -1,
          state: 'pending',
          jobId: null,
          assetToken: null,
          updatedAt: now(),
        })
      }
    })
    const job = queue.job(jobId)
    if (job && job.state.kind !== 'cancelled' && job.state.kind !== 'done') queue.cancel(jobId)
    for (const row of rows) {
      const rt = runtimes.get(row.pairId)
      if (!rt) continue
      touch(rt, row.relPath)
      changed(rt)
    }
  }

  const subscribeQueue = (): void => {
    unsubscribeQueue ??= queue.subscribe(onQueueEvent)
  }
  subscribeQueue()

  // ---- per-pair work ------------------------------------------------------------------------

  const handleOf = (rt: Runtime): PairHandle => ({
    id: rt.row.id,
    org: rt.row.org,
    board: rt.row.board,
    settings: rt.row.settings,
    folder: rt.row.folder,
    resettle: (relPath) => touch(rt, relPath),
  })

  const enqueueWork = (rt: Runtime, what: string, fn: () => Promise<void>): Promise<void> => {
    rt.inFlight++
    const next = rt.work.then(async () => {
      if (rt.removed) return
      try {
        await fn()
      } catch (error) {
        log.error(`sync ${what} failed`, {
          pairId: rt.row.id,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    })
    rt.work = next.finally(() => {
      rt.inFlight--
      changed(rt)
    })
    return rt.work
  }

  const makeSettler = (rt: Runtime): Settler =>
    createSettler({
      settleMs: rt.row.settings.settleMs,
      now: Date.now,
      stat: async (relPath) => {
        const info = await lstatOrMissing(absolutePath(rt.row.folder, relPath))
        return info?.isFile() ? factsOf(info) : undefined
      },
      onSettled: (relPath, facts) => {
        rt.gone.delete(relPath)
        rt.present.set(relPath, facts)
        scheduleFlush(rt)
      },
      onGone: (relPath) => {
        rt.present.delete(relPath)
        rt.gone.add(relPath)
        scheduleFlush(rt)
      },
      onError: (relPath, error) => {
        log.warn('cannot check file', { pairId: rt.row.id, relPath, error: String(error) })
        changed(rt)
      },
    })

  const touch = (rt: Runtime, relPath: string): void => {
    if (rt.removed || rt.row.paused) return
    rt.settler ??= makeSettler(rt)
    rt.settler.touch(relPath)
    changed(rt)
  }

  const scheduleFlush = (rt: Runtime): void => {
    changed(rt)
    if (rt.present.size >= ctx.batchSize) {
      flush(rt)
      return
    }
    if (rt.flushTimer) return
    rt.flushTimer = setTimeout(() => flush(rt), FLUSH_DELAY_MS)
  }

  const flush = (rt: Runtime): void => {
    if (rt.flushTimer) clearTimeout(rt.flushTimer)
    rt.flushTimer = undefined
    if (rt.present.size === 0 && rt.gone.size === 0) return
    const files: ScannedFile[] = [...rt.present].map(([relPath, facts]) => ({ relPath, ...facts }))
    const gone = [...rt.gone]
    rt.present.clear()
    rt.gone.clear()
    void enqueueWork(rt, 'batch', async () => {
      const pair = handleOf(rt)
      for (let i = 0; i < files.length; i += ctx.batchSize) {
        await processPresent(ctx, pair, files.slice(i, i + ctx.batchSize))
        changed(rt)
      }
      await processGone(ctx, pair, gone)
    })
  }

  const runScan = async (rt: Runtime): Promise<void> => {
    rt.scanning = true
    changed(rt)
    try {
      const walk = await walkFolder(rt.row.folder, rt.rules)
      if (rt.error) log.info('folder is back', { pairId: rt.row.id })
      rt.error = undefined
      if (rt.rescanCause === 'missing') {
        stopRescans(rt)
        openWatcher(rt)
      }
      for (const problem of walk.errors) log.warn('cannot read', { pairId: rt.row.id, ...problem })
      rt.row = { ...rt.row, ignoredCount: walk.ignored }
      store.updatePair(rt.row.id, { ignoredCount: walk.ignored })
      const seen = new Set<string>()
      const ready: ScannedFile[] = []
      const wallNow = Date.now()
      for (const file of walk.files) {
        seen.add(file.relPath)
        if (wallNow - file.mtimeMs < rt.row.settings.settleMs) touch(rt, file.relPath)
        else ready.push(file)
      }
      const pair = handleOf(rt)
      for (let i = 0; i < ready.length; i += ctx.batchSize) {
        if (rt.removed || rt.row.paused) return
        await processPresent(ctx, pair, ready.slice(i, i + ctx.batchSize))
        changed(rt)
      }
      const vanished = store
        .liveFiles(rt.row.id)
        .filter((row) => !seen.has(row.relPath))
        .map((row) => row.relPath)
      await processGone(ctx, pair, vanished)
      rt.row = { ...rt.row, lastSyncAt: now() }
      store.updatePair(rt.row.id, { lastSyncAt: rt.row.lastSyncAt })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      const isNew = rt.error?.reason !== reason
      rt.error = {
        reason,
        hint: 'Check that the folder exists and is readable (reconnect the drive, or re-pair the folder).',
      }
      if (isNew) {
        log.warn('scan failed', { pairId: rt.row.id, reason })
        emit({ type: 'notice', level: 'error', message: reason })
      }
      if (watchEnabled && started && rt.rescanCause === undefined) {
        void closeWatcher(rt)
        rt.watch = { mode: 'rescan', reason }
        startRescans(rt, 'missing')
      }
    } finally {
      rt.scanning = false
      changed(rt)
    }
  }

  const requestScan = (rt: Runtime): Promise<void> => {
    if (rt.scanQueued) return rt.scanQueued
    const queued = enqueueWork(rt, 'scan', async () => {
      rt.scanQueued = undefined
      await runScan(rt)
    })
    rt.scanQueued = queued
    changed(rt)
    return queued
  }

  // ---- watching -----------------------------------------------------------------------------

  const relOf = (rt: Runtime, absPath: string): string | undefined => {
    const rel = relative(rt.row.folder, absPath)
    if (rel.startsWith('..') || resolve(rt.row.folder, rel) !== resolve(absPath)) return undefined
    return sep === '/' ? rel : rel.split(sep).join('/')
  }

  const isWatchIgnored = (rt: Runtime, absPath: string, stats?: Stats): boolean => {
    const rel = relOf(rt, absPath)
    if (rel === undefined) return true
    if (rel === '') return false
    if (basename(rel) === IGNORE_FILE) return false
    return rt.rules.test(rel, stats ? kindOf(stats) : 'file') !== undefined
  }

  const onWatchEvent = (rt: Runtime, event: WatchEvent): void => {
    const rel = relOf(rt, event.path)
    if (rel === undefined || rt.removed || rt.row.paused) return
    if (rel === '') {
      if (event.kind === 'unlinkDir') void requestScan(rt)
      return
    }
    if (basename(rel) === IGNORE_FILE) {
      const dir = dirname(rel) === '.' ? '' : dirname(rel)
      void rt.rules.loadDir(dir).then(() => requestScan(rt))
      return
    }
    switch (event.kind) {
      case 'add':
      case 'change':
        if (rt.rules.test(rel, 'file') === undefined) touch(rt, rel)
        return
      case 'unlink':
        touch(rt, rel)
        return
      case 'addDir':
        if (rt.rules.test(rel, 'dir') !== undefined) return
        void walkFolder(rt.row.folder, rt.rules, { startDir: rel }).then(
          (walk) => walk.files.forEach((file) => touch(rt, file.relPath)),
          (error: unknown) =>
            log.warn('cannot list new folder', {
              pairId: rt.row.id,
              relPath: rel,
              error: String(error),
            }),
        )
        return
      case 'unlinkDir':
        for (const row of store.liveFiles(rt.row.id)) {
          if (row.relPath.startsWith(rel + '/')) touch(rt, row.relPath)
        }
        return
    }
  }

  const onWatchError = (rt: Runtime, error: unknown): void => {
    const problem = describeWatchError(error, rt.row.folder)
    log.warn(problem.reason, { pairId: rt.row.id, code: problem.code, hint: problem.hint })
    if (!problem.fatal) return
    void closeWatcher(rt)
    rt.watch = {
      mode: 'rescan',
      reason: problem.reason,
      ...(problem.hint ? { hint: problem.hint } : {}),
    }
    stopRescans(rt)
    startRescans(rt, 'limit')
    emit({
      type: 'notice',
      level: 'warning',
      message: `${problem.reason}. ${problem.hint ?? ''}`.trim(),
    })
    changed(rt)
  }

  const startRescans = (rt: Runtime, cause: 'limit' | 'missing'): void => {
    if (rt.rescanTimer) return
    rt.rescanCause = cause
    rt.rescanTimer = setInterval(() => void requestScan(rt), rescanIntervalMs)
  }

  const stopRescans = (rt: Runtime): void => {
    if (rt.rescanTimer) clearInterval(rt.rescanTimer)
    rt.rescanTimer = undefined
    rt.rescanCause = undefined
  }

  const openWatcher = (rt: Runtime): void => {
    if (!watchEnabled || rt.watcher || rt.rescanTimer) return
    const settings = rt.row.settings
    rt.watcherReady = false
    try {
      const watcher: FolderWatcher = watcherPort(
        rt.row.folder,
        {
          usePolling: settings.usePolling,
          ignored: (absPath, stats) => isWatchIgnored(rt, absPath, stats),
        },
        {
          onEvent: (event) => onWatchEvent(rt, event),
          onError: (error) => onWatchError(rt, error),
          onReady: () => {
            if (rt.watcher !== watcher) return
            rt.watcherReady = true
            changed(rt)
          },
        },
      )
      rt.watcher = watcher
      rt.watch = { mode: settings.usePolling ? 'polling' : 'native' }
    } catch (error) {
      onWatchError(rt, error)
    }
    changed(rt)
  }

  const closeWatcher = async (rt: Runtime): Promise<void> => {
    const watcher = rt.watcher
    rt.watcher = undefined
    rt.watcherReady = false
    if (watcher) {
      try {
        await watcher.close()
      } catch (error) {
        log.warn('closing watcher failed', { pairId: rt.row.id, error: String(error) })
      }
    }
  }

  /** Stops everything live for a pair (watcher, timers, settling); the index is kept. */
  const quiesce = async (rt: Runtime): Promise<void> => {
    stopRescans(rt)
    if (rt.flushTimer) clearTimeout(rt.flushTimer)
    rt.flushTimer = undefined
    rt.settler?.clear()
    rt.settler = undefined
    rt.present.clear()
    rt.gone.clear()
    rt.watch = undefined
    await closeWatcher(rt)
    await rt.work
  }

  /** Takes results of jobs that finished while nobody listened, and forgets jobs the queue lost. */
  const reconcilePending = (rt: Runtime): void => {
    for (const row of store.pendingFiles(rt.row.id)) {
      if (row.jobId === null) continue
      const job = queue.job(row.jobId)
      if (job === undefined) store.putFile({ ...row, jobId: null, updatedAt: now() })
      else if (isSettledJob(job)) store.setJobResult(job.id, fileResultOf(job), now())
    }
  }

  const activate = (rt: Runtime): Promise<void> => {
    reconcilePending(rt)
    openWatcher(rt)
    return requestScan(rt)
  }

  const makeRuntime = (row: PairRow): Runtime => ({
    row,
    rules: createIgnoreRules(row.folder, {
      includeHidden: row.settings.includeHidden,
      patterns: row.settings.ignorePatterns,
      log,
    }),
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
  })

  for (const row of store.pairs()) runtimes.set(row.id, makeRuntime(row))

  const runtime = (pairId: string): Runtime => {
    const rt = runtimes.get(pairId)
    if (!rt) throw new Error(`Unknown pair: ${pairId}`)
    return rt
  }

  const targets = (pairId?: string): Runtime[] =>
    pairId === undefined ? [...runtimes.values()] : [runtime(pairId)]

  const canonicalFolder = async (folder: string): Promise<string> => {
    const absolute = resolve(folder)
    await assertFolder(absolute)
    return realpath(absolute)
  }

  // ---- commands -----------------------------------------------------------------------------

  return {
    async addPair(input) {
      if (!input.org) throw new Error('addPair: org is required')
      if (!input.board) throw new Error('addPair: board is required')
      const folder = await canonicalFolder(input.folder)
      const id = pairIdFor(folder, input.org, input.board)
      const existing = runtimes.get(id)
      if (existing) {
        if (input.settings || input.boardTitle !== undefined) {
          return this.updatePair(id, {
            ...(input.settings ? { settings: input.settings } : {}),
            ...(input.boardTitle === undefined ? {} : { boardTitle: input.boardTitle }),
          })
        }
        return snapshotOf(existing)
      }
      const row: PairRow = {
        id,
        folder,
        org: input.org,
        board: input.board,
        boardTitle: input.boardTitle ?? null,
        settings: resolvePairSettings(options.defaults, input.settings),
        paused: false,
        lastSyncAt: null,
        ignoredCount: 0,
        createdAt: now(),
      }
      store.insertPair(row)
      const rt = makeRuntime(row)
      runtimes.set(id, rt)
      log.info('pair added', { pairId: id, folder, board: input.board })
      if (started) void activate(rt)
      changed(rt)
      return snapshotOf(rt)
    },

    async removePair(pairId) {
      const rt = runtime(pairId)
      rt.removed = true
      await quiesce(rt)
      store.deletePair(pairId)
      runtimes.delete(pairId)
      log.info('pair removed', { pairId })
      emit({ type: 'pair-removed', pairId })
      changed()
    },

    async updatePair(pairId, patch) {
      const rt = runtime(pairId)
      const settings = patch.settings
        ? resolvePairSettings(rt.row.settings, patch.settings)
        : rt.row.settings
      const live = started && !rt.row.paused
      if (live) await quiesce(rt)
      store.updatePair(pairId, {
        settings,
        ...(patch.boardTitle === undefined ? {} : { boardTitle: patch.boardTitle }),
      })
      const row = store.pair(pairId)
      if (!row) throw new Error(`Unknown pair: ${pairId}`)
      const fresh = makeRuntime(row)
      Object.assign(rt, { row, rules: fresh.rules })
      if (live) void activate(rt)
      changed(rt)
      return snapshotOf(rt)
    },

    pairs: () => [...runtimes.values()].map(snapshotOf),

    pair(pairId) {
      const rt = runtimes.get(pairId)
      return rt && snapshotOf(rt)
    },

    async preview(folder, settings) {
      const absolute = await canonicalFolder(folder)
      const resolved = resolvePairSettings(options.defaults, settings)
      const rules = createIgnoreRules(absolute, {
        includeHidden: resolved.includeHidden,
        patterns: resolved.ignorePatterns,
        log,
      })
      const walk = await walkFolder(absolute, rules)
      const bytes = walk.files.reduce((sum, file) => sum + file.size, 0)
      return { folder: absolute, files: walk.files.length, bytes, ignored: walk.ignored }
    },

    async scan(pairId) {
      await Promise.all(
        targets(pairId)
          .filter((rt) => !rt.row.paused)
          .map((rt) => requestScan(rt)),
      )
    },

    async start() {
      if (started) return
      started = true
      subscribeQueue()
      for (const rt of runtimes.values()) if (!rt.row.paused) void activate(rt)
    },

    async stop() {
      started = false
      await Promise.all([...runtimes.values()].map((rt) => quiesce(rt)))
      if (snapshotTimer) clearTimeout(snapshotTimer)
      snapshotTimer = undefined
      unsubscribeQueue?.()
      unsubscribeQueue = undefined
      for (const waiter of [...waiters]) {
        waiters.delete(waiter)
        waiter.resolve()
      }
    },

    pause(pairId) {
      for (const rt of targets(pairId)) {
        if (rt.row.paused) continue
        rt.row = { ...rt.row, paused: true }
        store.updatePair(rt.row.id, { paused: true })
        void quiesce(rt)
        for (const row of store.pendingFiles(rt.row.id)) if (row.jobId) queue.pause(row.jobId)
        changed(rt)
      }
    },

    resume(pairId) {
      for (const rt of targets(pairId)) {
        if (!rt.row.paused) continue
        rt.row = { ...rt.row, paused: false }
        store.updatePair(rt.row.id, { paused: false })
        for (const row of store.pendingFiles(rt.row.id)) if (row.jobId) queue.resume(row.jobId)
        if (started) void activate(rt)
        changed(rt)
      }
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    fileStates(pairId) {
      const rt = runtime(pairId)
      const rows = store.files(pairId)
      const out: PairFileState[] = []
      const known = new Set<string>()
      for (const row of rows) {
        known.add(row.relPath)
        out.push({
          relPath: row.relPath,
          state: row.deletedAt === null ? row.state : 'deleted',
          size: Math.max(0, row.size),
          sha256: row.sha256,
          assetToken: row.assetToken,
          jobId: row.jobId,
          reason: row.reason,
          updatedAt: row.updatedAt,
        })
      }
      const settling = new Set([...(rt.settler?.paths() ?? []), ...rt.present.keys()])
      for (const [index, entry] of out.entries()) {
        if (settling.has(entry.relPath) && entry.state === 'deleted')
          out[index] = { ...entry, state: 'settling' }
      }
      for (const relPath of settling) {
        if (known.has(relPath)) continue
        out.push({
          relPath,
          state: 'settling',
          size: 0,
          sha256: null,
          assetToken: null,
          jobId: null,
          reason: null,
          updatedAt: now(),
        })
      }
      return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
    },

    idle(pairId) {
      if (pairId !== undefined) runtime(pairId)
      return new Promise<void>((resolveIdle) => {
        waiters.add({ pairId, resolve: resolveIdle })
        changed()
      })
    },
  }
}
