/**
 * The persistent, resumable, batched transfer queue, as small stages over the job store: prepare
 * (batched, kept ahead of the lanes), upload (lanes adapted to the work), complete (batched,
 * lookup-before-retry) and ingest (URLs alongside). Each stage is one pass over the store, run
 * whenever anything changes; the whole queue's mode (queue-mode.ts) decides whether passes run.
 * Every job transition and every mode transition emits one event.
 */
import { createRouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import type { JobSnapshot, QueueTotals } from '../../shared/job-models.ts'
import type { Logger } from '../engine-types.ts'
import { realSleep } from '../playbook/retry.ts'
import { createJobTargets, withVersion } from './job-targets.ts'
import { normalizeChunkSize } from './chunk-size.ts'
import { createCompleteStage } from './complete-stage.ts'
import { createIngestStage } from './ingest-stage.ts'
import { activeStates, createJobStore, toSnapshot } from './job-store.ts'
import type { JobRow, JobStore } from './job-store.ts'
import { createPrepareStage } from './prepare-stage.ts'
import { withSentBytes } from './sent-progress.ts'
import { messageOf, moveIf } from './queue-context.ts'
import type { QueueContext } from './queue-context.ts'
import { initialMode, isPaused, mayWork, modeEvent, nextMode, waitStateOf } from './queue-mode.ts'
import type { ModeInput, QueueMode } from './queue-mode.ts'
import { checkLimits, clampConcurrency } from './queue-limits.ts'
import type { TransferQueueOptions } from './queue-options.ts'
import { createQueueOutbox } from './queue-outbox.ts'
import { recoverInterrupted } from './queue-recovery.ts'
import { queueTotals } from './queue-totals.ts'
import { retryFailed } from './retry-jobs.ts'
import { createStageRunner } from './stage-runner.ts'
import { createLiveThrottle } from './throttle.ts'
import type { TransferQueue, UploadRequest } from './types.ts'
import { createUploadStage } from './upload-stage.ts'

/** The queue plus its store (tests and the sync engine read rows directly). */
export interface TransferQueueHandle extends TransferQueue {
  readonly store: JobStore
}

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} }

/** Creates the queue; call `start()` to begin (recovery of interrupted jobs happens then). */
export function createTransferQueue(options: TransferQueueOptions): TransferQueueHandle {
  const log = options.log ?? silent
  const clock = options.clock
  const now = (): number => (clock === undefined ? Date.now() : clock.now())
  const random = options.random ?? Math.random
  const store = createJobStore(options.db, now)
  // One shared bucket for the queue's life, handed to every upload: `setLimits` reaches running ones.
  const throttle = createLiveThrottle(Math.max(0, options.bwlimit ?? 0))
  const targets = createJobTargets(options.db)

  let mode: QueueMode = initialMode
  let recovered = false
  let pendingOps = 0
  let pumpScheduled = false
  let lifetime = new AbortController()
  const waiters: (() => void)[] = []

  const snapshot = (row: JobRow): JobSnapshot =>
    withVersion(
      withSentBytes(
        toSnapshot(row, {
          speed: row.state === 'uploading' ? uploads.speedOf(row.id) : 0,
          paused: isPaused(mode),
        }),
        uploads.sentOf(row.id),
      ),
      targets.get(row.dedupeKey),
    )
  const outbox = createQueueOutbox(log, totals, checkDrained)
  const emit = outbox.emit

  const ctx: QueueContext = {
    store,
    client: options.client,
    http: options.http ?? options.client.http,
    log,
    now,
    chunkSize: normalizeChunkSize(options.chunkSize),
    uploadMode: options.uploadMode ?? (options.chunkSize === undefined ? 'stream' : 'chunked'),
    throttle,
    sleep: options.sleep ?? realSleep,
    random,
    maxAttempts: options.maxAttempts ?? 8,
    completionGraceMs: options.completionGraceMs ?? 45_000,
    boardListings: new Map(),
    routes: options.routes ?? createRouteMissingMemory(),
    changed: (row) => {
      if (row.state !== 'uploading') uploads.forget(row.id)
      emit({ type: 'job-changed', job: snapshot(row) })
    },
    progress: (row) => {
      uploads.record(row)
      emit({ type: 'job-progress', job: snapshot(row) })
    },
    sent: (row, bytes) => {
      uploads.sent(row, bytes)
      emit({ type: 'job-progress', job: snapshot(row) })
    },
    sourceChanged: (row) => emit({ type: 'job-source-changed', job: snapshot(row) }),
  }

  /** Moves the mode; a real transition emits its one event. */
  function move(input: ModeInput): void {
    const from = mode
    const to = nextMode(from, input, now(), random)
    if (to === from) return
    mode = to
    const { event, log: line } = modeEvent(from, to, totals)
    if (line !== undefined) {
      const detail = to.kind === 'halted' ? messageOf(to.error) : 'reason' in to ? to.reason : ''
      log[line.level](line.message, { reason: detail })
    }
    if (event.type === 'totals') outbox.totalsChanged()
    else emit(event)
  }

  const runner = createStageRunner({
    store,
    log,
    now,
    outcome: (outcome) => move({ type: 'outcome', outcome }),
    halt: (error) => move({ type: 'halt', error }),
    schedule: schedulePump,
  })
  const uploads = createUploadStage(ctx, runner, clampConcurrency(options.concurrency ?? 4))
  const prepare = createPrepareStage(ctx, runner)
  const complete = createCompleteStage(ctx, runner, targets, {
    idleMs: options.completeIdleMs ?? 1500,
    maxWaitMs: options.completeMaxWaitMs ?? 30_000,
  })
  const ingest = createIngestStage(ctx, runner)

  function totals(): QueueTotals {
    return queueTotals(store, uploads, isPaused(mode))
  }

  function checkDrained(): void {
    if (waiters.length === 0 || pendingOps > 0) return
    if (!isPaused(mode) && store.countRunnable() > 0) return
    for (const resolve of waiters.splice(0)) resolve()
  }

  function schedulePump(): void {
    if (pumpScheduled) return
    pumpScheduled = true
    setImmediate(() => {
      pumpScheduled = false
      pump()
    })
  }

  /** One pass of every stage, in pipeline order. */
  function pump(): void {
    const t = now()
    const may = mayWork(mode, t)
    runner.clearWake()
    if (!may.now) {
      if (may.wakeAt !== undefined) runner.wake(may.wakeAt)
      return
    }
    const signal = lifetime.signal
    const uploadPass = uploads.pass(t)
    const filesLater = prepare.pass(t, uploadPass, uploads.lanes.ahead, signal)
    const urlsLater = ingest.pass(t, signal)
    // A running step re-pumps when it ends, so only an otherwise idle queue needs the timer.
    if (filesLater || urlsLater) {
      const at = store.nextQueuedWake(t)
      if (at !== undefined) runner.wake(at)
    }
    complete.pass(t, uploadPass.uploading, signal)
  }

  function recover(): void {
    if (recovered) return
    recovered = true
    recoverInterrupted(store).forEach(ctx.changed)
  }

  return {
    store,
    enqueue(requests: readonly UploadRequest[]) {
      targets.record(requests)
      const { ids, added, revived } = store.enqueue(requests)
      // A scan of 100,000 files adds as many jobs: with nobody listening, no snapshot is built
      // (the totals still change).
      if (outbox.listening('job-added')) {
        for (const id of added) {
          const row = store.get(id)
          if (row !== undefined) emit({ type: 'job-added', job: snapshot(row) })
        }
      } else if (added.length > 0) outbox.totalsChanged()
      for (const id of revived) {
        const row = store.get(id)
        if (row !== undefined) ctx.changed(row)
      }
      if (added.length > 0 || revived.length > 0) schedulePump()
      return ids
    },
    job(id) {
      const row = store.get(id)
      return row === undefined ? undefined : snapshot(row)
    },
    jobsById(ids) {
      const out = new Map<string, JobSnapshot>()
      for (const [id, row] of store.getMany(ids)) out.set(id, snapshot(row))
      return out
    },
    jobStates(ids) {
      // Paused as in a snapshot: the job itself, or the whole queue.
      const all = isPaused(mode)
      const out = new Map<string, { kind: JobRow['state']; paused: boolean }>()
      for (const [id, { state, paused }] of store.statesOf(ids))
        out.set(id, { kind: state, paused: paused || all })
      return out
    },
    hasUnpausedWork: (pairId) => !isPaused(mode) && store.hasUnpausedWork(pairId),
    jobs(filter) {
      const rows =
        filter?.states === undefined ? store.all(filter) : store.inStates(filter.states, filter)
      return rows.map(snapshot)
    },
    totals,
    subscribe: outbox.subscribe,
    start() {
      if (mode.kind !== 'stopped') return
      move({ type: 'start' })
      recover()
      schedulePump()
    },
    async stop() {
      move({ type: 'stop' })
      runner.clearWake()
      uploads.abortAll()
      lifetime.abort()
      await runner.settled()
      lifetime = new AbortController()
      move({ type: 'stopped' })
    },
    pause(jobId) {
      if (jobId === undefined) {
        move({ type: 'pause' })
        uploads.abortAll()
        return
      }
      const row = store.get(jobId)
      if (row === undefined || row.paused) return
      ctx.changed(store.patch(jobId, { paused: true }))
      uploads.abort(jobId)
    },
    resume(jobId) {
      if (jobId === undefined) move({ type: 'resume' })
      else {
        const row = store.get(jobId)
        if (row === undefined || !row.paused) return
        ctx.changed(store.patch(jobId, { paused: false }))
      }
      schedulePump()
    },
    cancel(jobId) {
      const row = store.get(jobId)
      if (row === undefined || !activeStates.includes(row.state)) {
        if (row?.state === 'failed') moveIf(ctx, jobId, 'failed', 'cancelled')
        return
      }
      uploads.abort(jobId)
      ingest.forget(jobId)
      moveIf(ctx, jobId, row.state, 'cancelled')
    },
    retry(jobId) {
      const rows =
        jobId === undefined
          ? store.inStates(['failed'])
          : [store.get(jobId)].flatMap((r) => (r?.state === 'failed' ? [r] : []))
      if (rows.length === 0) return
      pendingOps++
      void retryFailed(ctx, rows)
        .catch((e: unknown) => log.error('retry failed', { error: messageOf(e) }))
        .finally(() => {
          pendingOps--
          schedulePump()
          checkDrained()
        })
    },
    moving() {
      const out = new Map<string | null, number>()
      for (const id of uploads.ids()) {
        const pairId = store.get(id)?.pairId ?? null
        out.set(pairId, (out.get(pairId) ?? 0) + 1)
      }
      return out
    },
    waitState: () => waitStateOf(mode),
    retryWaits: () => store.retryWaits(now()),
    setLimits(limits) {
      checkLimits(limits)
      if (limits.bwlimit !== undefined) throttle.setRate(limits.bwlimit)
      if (limits.concurrency !== undefined) {
        uploads.lanes.resize(limits.concurrency)
        schedulePump()
      }
    },
    drained() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve)
        checkDrained()
      })
    },
  }
}
