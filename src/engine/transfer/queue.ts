/**
 * The persistent, resumable, batched transfer queue: schedules prepare (batched), uploads (a few
 * in parallel, by priority), completion (batched, lookup-before-retry) and URL ingest; handles
 * pause/resume/cancel/retry, offline backoff and sign-in loss; emits one event per transition.
 */
import { stat } from 'node:fs/promises'
import type { DatabaseSync } from 'node:sqlite'
import type { JobSnapshot, QueueTotals } from '../../shared/job-models.ts'
import type { Clock, Logger } from '../engine-types.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import type { Http } from '../playbook/http.ts'
import { realSleep } from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'
import { BATCH_LIMIT, prepareJobs } from './batcher.ts'
import { completeJobs } from './completion.ts'
import { normalizeChunkSize } from './chunk-size.ts'
import { transferFile } from './file-transfer.ts'
import { activeStates, clearedUpload, createJobStore, toSnapshot } from './job-store.ts'
import type { JobPatch, JobRow, JobStore } from './job-store.ts'
import { isLocalTrouble } from '../store/local-trouble.ts'
import { messageOf, moveIf } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'
import { createSpeedMeter } from './speed-meter.ts'
import type { SpeedMeter } from './speed-meter.ts'
import { createThrottle } from './throttle.ts'
import { maxConcurrency } from './types.ts'
import type { QueueEvent, QueueLimits, TransferQueue, UploadRequest } from './types.ts'
import { createUploadLanes } from './upload-lanes.ts'
import { createIngests, pollDelayMs, pollIngest } from './url-ingest.ts'

/** What the queue is built from. */
export interface TransferQueueOptions {
  /** The state database (openDatabase); the queue creates its tables on it. */
  readonly db: DatabaseSync
  /** The API client; requests name their org, so one client serves every org. */
  readonly client: PlaybookClient
  /** Transport for storage PUTs (default: the client's). */
  readonly http?: Http
  readonly log?: Logger
  readonly clock?: Clock
  /** Large files uploading at once (default 4); small files run more lanes (upload-lanes.ts). */
  readonly concurrency?: number
  /** Bytes per chunk, rounded down to 256 KiB multiples (default 8 MiB). */
  readonly chunkSize?: number
  /** Shared bandwidth cap in bytes per second (default none). */
  readonly bwlimit?: number
  readonly sleep?: Sleep
  readonly random?: () => number
  /** Transient failures before a job fails (retryable) (default 8). */
  readonly maxAttempts?: number
  /** Completion waits this long after the last upload of a group finished for more to join (default 1.5 s). */
  readonly completeIdleMs?: number
  /** …but never longer than this (default 30 s). */
  readonly completeMaxWaitMs?: number
  /**
   * After a completion's answer was lost, how long the board is re-listed before still-unmatched
   * jobs are completed again (default 45 s).
   */
  readonly completionGraceMs?: number
}

/** The queue plus its store (tests and the sync engine read rows directly). */
export interface TransferQueueHandle extends TransferQueue {
  readonly store: JobStore
}

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} }
const MAX_COMPLETES_IN_FLIGHT = 2

/**
 * Refuses limits out of range in words (never clamped): files at once 1..16, a cap of 0 (none)
 * or more bytes per second.
 */
export function checkLimits(limits: QueueLimits): void {
  const { concurrency, bwlimit } = limits
  if (
    concurrency !== undefined &&
    (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxConcurrency)
  )
    throw new RangeError(
      `Files at once must be a whole number from 1 to ${maxConcurrency} (got ${concurrency})`,
    )
  if (bwlimit !== undefined && (!Number.isFinite(bwlimit) || bwlimit < 0))
    throw new RangeError(
      `The bandwidth cap must be 0 (no cap) or a positive number of bytes per second (got ${bwlimit})`,
    )
}

/** Creates the queue; call `start()` to begin (recovery of interrupted jobs happens then). */
export function createTransferQueue(options: TransferQueueOptions): TransferQueueHandle {
  const log = options.log ?? silent
  const clock = options.clock
  const now = (): number => (clock === undefined ? Date.now() : clock.now())
  const random = options.random ?? Math.random
  const concurrency = options.concurrency ?? 4
  checkLimits({
    concurrency,
    ...(options.bwlimit === undefined ? {} : { bwlimit: options.bwlimit }),
  })
  const idleMs = options.completeIdleMs ?? 1500
  const maxWaitMs = options.completeMaxWaitMs ?? 30_000
  const store = createJobStore(options.db, now)
  const chunkSize = normalizeChunkSize(options.chunkSize)
  const lanes = createUploadLanes({ concurrency, smallMaxBytes: chunkSize })
  // One shared bucket for the queue's life; rate 0 means no cap (see `setLimits`).
  const throttle = createThrottle(1)
  throttle.setRate(options.bwlimit ?? 0)

  const listeners = new Set<(event: QueueEvent) => void>()
  const meters = new Map<string, SpeedMeter>()
  const uploads = new Map<string, AbortController>()
  const tasks = new Set<Promise<void>>()
  const completing = new Set<string>()
  const polling = new Set<string>()
  const polls = new Map<string, { n: number; due: number }>()
  const waiters: (() => void)[] = []
  let lifetime = new AbortController()
  let preparing = false
  let creating = false
  let pausedAll = false
  let authBlocked = false
  let started = false
  let stopping = false
  let recovered = false
  let pendingOps = 0
  /** Set when a local problem (see local-trouble.ts) stopped the queue. */
  let halted: unknown
  let offline: { until: number; backoff: number; reason: string } | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let timerAt = Number.POSITIVE_INFINITY
  let pumpScheduled = false
  let events: QueueEvent[] = []
  let flushScheduled = false
  let totalsDirty = false

  /** Live speed of a job that is transferring right now (0 when paused or waiting). */
  const speedOf = (id: string): number => (uploads.has(id) ? (meters.get(id)?.speed() ?? 0) : 0)
  const snapshot = (row: JobRow): JobSnapshot =>
    toSnapshot(row, { speed: row.state === 'uploading' ? speedOf(row.id) : 0, paused: pausedAll })

  // Events are delivered after the current synchronous step (never inside a transaction).
  const emit = (event: QueueEvent): void => {
    events.push(event)
    if (event.type !== 'totals') totalsDirty = true
    if (!flushScheduled) {
      flushScheduled = true
      queueMicrotask(flush)
    }
  }
  function flush(): void {
    flushScheduled = false
    const batch = events
    events = []
    if (totalsDirty) {
      totalsDirty = false
      batch.push({ type: 'totals', totals: totals() })
    }
    for (const event of batch) {
      for (const listener of listeners) {
        try {
          listener(event)
        } catch (e) {
          log.error('transfer queue listener failed', { error: messageOf(e) })
        }
      }
    }
    checkDrained()
  }

  const ctx: QueueContext = {
    store,
    client: options.client,
    http: options.http ?? options.client.http,
    log,
    now,
    chunkSize,
    // Read at every chunk: a cap set (or lifted) by `setLimits` reaches uploads already running.
    get throttle() {
      return throttle.bytesPerSecond > 0 ? throttle : undefined
    },
    sleep: options.sleep ?? realSleep,
    random,
    maxAttempts: options.maxAttempts ?? 8,
    completionGraceMs: options.completionGraceMs ?? 45_000,
    boardListings: new Map(),
    changed: (row) => {
      if (row.state !== 'uploading') meters.delete(row.id)
      emit({ type: 'job-changed', job: snapshot(row) })
    },
    progress: (row) => {
      meters.get(row.id)?.record(row.confirmedBytes)
      emit({ type: 'job-progress', job: snapshot(row) })
    },
    sourceChanged: (row) => emit({ type: 'job-source-changed', job: snapshot(row) }),
  }

  function totals(): QueueTotals {
    const counts = store.counts()
    const n = (k: JobRow['state']): number => counts.get(k)?.count ?? 0
    let bytesDone = 0
    let bytesTotal = 0
    for (const [state, c] of counts) {
      if (state === 'cancelled') continue
      bytesDone += c.confirmed
      bytesTotal += c.bytes
    }
    let speed = 0
    for (const id of uploads.keys()) speed += speedOf(id)
    return {
      queued: n('queued'),
      active: n('preparing') + n('uploading') + n('completing') + n('ingesting'),
      sending: uploads.size,
      done: n('done'),
      failed: n('failed'),
      cancelled: n('cancelled'),
      bytesDone,
      bytesTotal,
      speed,
      paused: pausedAll,
    }
  }

  function checkDrained(): void {
    if (waiters.length === 0 || pendingOps > 0) return
    if (!pausedAll && store.countRunnable() > 0) return
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

  function wake(at: number): void {
    if (at >= timerAt) return
    if (timer !== undefined) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(
      () => {
        timer = undefined
        timerAt = Number.POSITIVE_INFINITY
        pump()
      },
      Math.max(0, at - now()),
    )
  }

  function clearTimer(): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    timerAt = Number.POSITIVE_INFINITY
  }

  function handleOutcome(outcome: StepOutcome): void {
    switch (outcome.kind) {
      case 'ok':
        if (offline !== undefined) {
          offline = undefined
          emit({ type: 'online' })
        }
        return
      case 'auth':
        if (!authBlocked) {
          authBlocked = true
          log.warn('transfer queue paused: sign-in required', { reason: outcome.reason })
          emit({ type: 'auth-required', reason: outcome.reason })
        }
        return
      case 'offline': {
        const first = offline === undefined
        const backoff = first ? 1000 : Math.min(60_000, offline!.backoff * 2)
        offline = {
          until: now() + backoff / 2 + (random() * backoff) / 2,
          backoff,
          reason: outcome.reason,
        }
        if (first) log.warn('transfer queue offline, backing off', { reason: outcome.reason })
        emit({ type: 'offline', reason: outcome.reason, until: offline.until })
        return
      }
    }
  }

  /** Runs one step; a step that throws (a bug) delays its jobs instead of spinning. */
  function launch(
    ids: readonly string[],
    step: () => Promise<StepOutcome>,
    done: () => void,
  ): void {
    const task = (async () => {
      try {
        handleOutcome(await step())
      } catch (e) {
        if (isLocalTrouble(e)) {
          // The state cannot be written: stop here (every earlier step is saved) and say so.
          if (halted === undefined) {
            halted = e
            log.error('transfer queue stopped by a local problem', { error: messageOf(e) })
            emit({ type: 'halted', error: e })
          }
          return
        }
        log.error('transfer step failed unexpectedly', { error: messageOf(e) })
        try {
          for (const id of ids) {
            const row = store.get(id)
            if (row !== undefined)
              store.patch(id, { attempts: row.attempts + 1, notBefore: now() + 5000 })
          }
        } catch (inner) {
          log.error('transfer step could not be delayed', { error: messageOf(inner) })
        }
      } finally {
        done()
        schedulePump()
      }
    })()
    tasks.add(task)
    void task.finally(() => tasks.delete(task))
  }

  function pump(): void {
    if (!started || stopping || halted !== undefined) return
    clearTimer()
    if (pausedAll || authBlocked) return
    const t = now()
    if (offline !== undefined && t < offline.until) {
      wake(offline.until)
      return
    }
    const signal = lifetime.signal

    // Uploads: highest priority first, as many as the lanes allow (few large, many small files).
    const uploading = store.inStates(['uploading'])
    let waiting = 0
    let waitingTop = Number.NEGATIVE_INFINITY
    for (const row of uploading) {
      if (uploads.has(row.id) || row.paused) continue
      if (row.notBefore > t) {
        wake(row.notBefore)
      } else if (lanes.canStart(row.size)) {
        startUpload(row)
        continue
      }
      waiting++
      waitingTop = Math.max(waitingTop, row.priority)
    }

    // Prepare: a batch of up to 100 when fewer prepared files wait than the lanes could take, or
    // for a more urgent file: the next batch is ready before the uploaders run dry.
    // Queued rows stay in SQLite (backlogs can be huge): ask only for what this pass can start.
    // Set when queued jobs exist but none may run yet (backoff, paused): wake when the first may.
    let lookAgain = false
    const top = preparing ? undefined : store.queuedTop('file')
    if (top !== undefined && (waiting < lanes.ahead || top > waitingTop)) {
      const head = store.nextQueued('file', t)[0]
      if (head === undefined) lookAgain = true
      else if (waiting < lanes.ahead || head.priority > waitingTop) {
        const group = head.solo
          ? [head]
          : store.nextQueued('file', t, { org: head.org, notSolo: true, limit: BATCH_LIMIT })
        preparing = true
        launch(
          group.map((r) => r.id),
          () => prepareJobs(ctx, group, signal),
          () => (preparing = false),
        )
      }
    }

    // URL ingest creation: same org and board, up to 100, all-or-nothing.
    if (!creating && store.queuedTop('url') !== undefined) {
      const urlHead = store.nextQueued('url', t)[0]
      if (urlHead === undefined) lookAgain = true
      else {
        const group = urlHead.solo
          ? [urlHead]
          : store.nextQueued('url', t, {
              org: urlHead.org,
              board: urlHead.board,
              notSolo: true,
              limit: BATCH_LIMIT,
            })
        creating = true
        launch(
          group.map((r) => r.id),
          () => createIngests(ctx, group, signal),
          () => (creating = false),
        )
      }
    }
    // A running step re-pumps when it ends, so only an otherwise idle queue needs the timer.
    if (lookAgain) {
      const at = store.nextQueuedWake(t)
      if (at !== undefined) wake(at)
    }

    pumpCompletions(t, uploading, signal)
    pumpPolls(t, signal)
  }

  function pumpCompletions(t: number, uploading: readonly JobRow[], signal: AbortSignal): void {
    const groups = new Map<string, JobRow[]>()
    for (const row of store.inStates(['completing'])) {
      const key = `${row.org}\n${row.board}\n${row.batchId ?? `single:${row.id}`}`
      const list = groups.get(key)
      if (list === undefined) groups.set(key, [row])
      else list.push(row)
    }
    for (const [key, rows] of groups) {
      if (completing.has(key)) continue
      if (completing.size >= MAX_COMPLETES_IN_FLIGHT) return
      const ready = rows.filter((r) => {
        if (r.notBefore <= t) return true
        wake(r.notBefore)
        return false
      })
      if (ready.length === 0) continue
      const batchId = ready[0]?.batchId ?? null
      const stillUploading =
        batchId === null ? 0 : uploading.filter((u) => u.batchId === batchId && !u.paused).length
      const oldest = Math.min(...ready.map((r) => r.updatedAt))
      const newest = Math.max(...ready.map((r) => r.updatedAt))
      const flushNow =
        ready.length >= BATCH_LIMIT ||
        stillUploading === 0 ||
        ready.some((r) => r.requestSent) ||
        t - newest >= idleMs ||
        t - oldest >= maxWaitMs
      if (!flushNow) {
        wake(Math.min(newest + idleMs, oldest + maxWaitMs))
        continue
      }
      const group = ready.slice(0, BATCH_LIMIT)
      completing.add(key)
      launch(
        group.map((r) => r.id),
        () => completeJobs(ctx, group, signal),
        () => completing.delete(key),
      )
    }
  }

  function pumpPolls(t: number, signal: AbortSignal): void {
    for (const row of store.inStates(['ingesting'])) {
      if (row.assetToken === null || polling.has(row.id) || row.paused) continue
      let plan = polls.get(row.id)
      if (plan === undefined) {
        plan = { n: 0, due: t + pollDelayMs(0) }
        polls.set(row.id, plan)
      }
      if (plan.due > t) {
        wake(plan.due)
        continue
      }
      const n = plan.n
      polling.add(row.id)
      launch(
        [row.id],
        async () => {
          const { outcome, terminal } = await pollIngest(ctx, row, signal)
          if (terminal) polls.delete(row.id)
          else polls.set(row.id, { n: n + 1, due: now() + pollDelayMs(n + 1) })
          return outcome
        },
        () => polling.delete(row.id),
      )
    }
  }

  function startUpload(row: JobRow): void {
    const controller = new AbortController()
    uploads.set(row.id, controller)
    lanes.started(row.id, row.size)
    const meter = createSpeedMeter()
    meter.record(row.confirmedBytes)
    meters.set(row.id, meter)
    launch(
      [row.id],
      () => transferFile(ctx, row, controller.signal),
      () => {
        uploads.delete(row.id)
        lanes.ended(row.id)
      },
    )
  }

  function recover(): void {
    if (recovered) return
    recovered = true
    const changed = store.atomically(() => [
      // A prepare whose answer was lost created nothing: prepare again.
      ...store.inStates(['preparing']).map((r) => store.transition(r.id, 'queued')),
      // A URL create whose answer was lost: back to queued; request_sent makes it look first.
      ...store
        .inStates(['ingesting'])
        .filter((r) => r.assetToken === null)
        .map((r) => store.transition(r.id, 'queued')),
    ])
    changed.forEach(ctx.changed)
  }

  const queue: TransferQueueHandle = {
    store,
    enqueue(requests: readonly UploadRequest[]) {
      const { ids, added, revived } = store.enqueue(requests)
      for (const id of added) {
        const row = store.get(id)
        if (row !== undefined) emit({ type: 'job-added', job: snapshot(row) })
      }
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
    jobs(filter) {
      const rows =
        filter?.states === undefined ? store.all(filter) : store.inStates(filter.states, filter)
      return rows.map(snapshot)
    },
    totals,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (started) return
      started = true
      recover()
      schedulePump()
    },
    async stop() {
      stopping = true
      clearTimer()
      for (const c of uploads.values()) c.abort()
      lifetime.abort()
      await Promise.allSettled([...tasks])
      lifetime = new AbortController()
      started = false
      stopping = false
    },
    pause(jobId) {
      if (jobId === undefined) {
        pausedAll = true
        for (const c of uploads.values()) c.abort()
        totalsDirty = true
        emit({ type: 'totals', totals: totals() })
        return
      }
      const row = store.get(jobId)
      if (row === undefined || row.paused) return
      ctx.changed(store.patch(jobId, { paused: true }))
      uploads.get(jobId)?.abort()
    },
    resume(jobId) {
      if (jobId === undefined) {
        pausedAll = false
        authBlocked = false
        if (offline !== undefined) offline = { ...offline, until: 0 }
        totalsDirty = true
        emit({ type: 'totals', totals: totals() })
      } else {
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
      uploads.get(jobId)?.abort()
      polls.delete(jobId)
      moveIf(ctx, jobId, row.state, 'cancelled')
    },
    retry(jobId) {
      const rows =
        jobId === undefined
          ? store.inStates(['failed'])
          : [store.get(jobId)].filter((r) => r?.state === 'failed')
      if (rows.length === 0) return
      pendingOps++
      void (async () => {
        for (const row of rows) {
          if (row === undefined) continue
          const reset: JobPatch = {
            attempts: 0,
            restarts: 0,
            notBefore: 0,
            failReason: null,
            retryable: false,
            solo: false,
          }
          if (row.kind === 'file' && row.signedGcsId !== null && row.sha256 !== null) {
            // The upload finished. If a completion may have landed (request_sent), it is looked
            // up first; a completion Playbook refused outright is simply sent again.
            moveIf(ctx, row.id, 'failed', 'completing', reset)
            continue
          }
          const patch: JobPatch = { ...reset, ...clearedUpload, sha256: null }
          if (row.kind === 'file' && row.path !== null) {
            const st = await stat(row.path).catch(() => undefined)
            // A sync job keeps what it was decided for (the file changed: the job stops at once
            // and the sync decides the file again); only a plain upload takes the file as it is.
            if (
              row.pairId === null &&
              st !== undefined &&
              (st.size !== row.size || Math.abs(st.mtimeMs - row.mtimeMs) > 1)
            ) {
              Object.assign(patch, { size: st.size, mtimeMs: st.mtimeMs, expectedSha256: null })
            }
          }
          moveIf(ctx, row.id, 'failed', 'queued', patch)
        }
      })()
        .catch((e: unknown) => log.error('retry failed', { error: messageOf(e) }))
        .finally(() => {
          pendingOps--
          schedulePump()
          checkDrained()
        })
    },
    moving() {
      const out = new Map<string | null, number>()
      for (const id of uploads.keys()) {
        const pairId = store.get(id)?.pairId ?? null
        out.set(pairId, (out.get(pairId) ?? 0) + 1)
      }
      return out
    },
    waitState() {
      return {
        offline: offline === undefined ? null : { until: offline.until, reason: offline.reason },
        signedOut: authBlocked,
        paused: pausedAll,
      }
    },
    retryWaits() {
      return store.retryWaits(now())
    },
    setLimits(limits) {
      checkLimits(limits)
      if (limits.bwlimit !== undefined) throttle.setRate(limits.bwlimit)
      if (limits.concurrency !== undefined) {
        lanes.resize(limits.concurrency)
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
  return queue
}
