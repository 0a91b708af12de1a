/**
 * The upload stage: one pass over the jobs in `uploading` starts, highest priority first, as many
 * as the lanes allow (upload-lanes.ts: many small files, few large ones, bytes in flight bounded).
 * Each upload is file-transfer.ts; its outcome is written to the store before it ends. The pass
 * reports what waits for a lane, so the prepare stage keeps enough prepared work ahead.
 */
import { transferFile } from './file-transfer.ts'
import type { JobRow } from './job-store.ts'
import type { QueueContext } from './queue-context.ts'
import { createSpeedMeter } from './speed-meter.ts'
import type { SpeedMeter } from './speed-meter.ts'
import type { StageRunner } from './stage-runner.ts'
import { createUploadLanes } from './upload-lanes.ts'
import type { UploadLanes } from './upload-lanes.ts'

/** What one upload pass saw. */
export interface UploadPass {
  /** Every job in `uploading` (running, waiting for a lane, or backing off). */
  readonly uploading: readonly JobRow[]
  /** Prepared jobs that could run but wait for a lane. */
  readonly waiting: number
  /** Their bytes still to send. */
  readonly waitingBytes: number
  /** The highest priority among them (-Infinity when none). */
  readonly waitingTop: number
}

/** The upload stage. */
export interface UploadStage {
  pass(t: number): UploadPass
  /** Stops one running upload at a safe point (pause, cancel). */
  abort(id: string): void
  /** Stops every running upload at a safe point. */
  abortAll(): void
  /** Ids sending bytes right now. */
  ids(): IterableIterator<string>
  readonly count: () => number
  /** Live speed of a job sending right now (0 when not). */
  speedOf(id: string): number
  /** A job confirmed more bytes: feeds its speed meter. */
  record(row: JobRow): void
  /** A job handed more bytes to the network (before storage confirms them). */
  sent(row: JobRow, bytes: number): void
  /** Bytes a sending job has handed to the network, when it reported any. */
  sentOf(id: string): number | undefined
  /** Every sending job's bytes handed to the network. */
  sentEntries(): IterableIterator<[string, number]>
  /** A job left `uploading`: its meter and sent count go. */
  forget(id: string): void
  readonly lanes: UploadLanes
}

/** Creates the stage over the shared context and runner. */
export function createUploadStage(
  ctx: QueueContext,
  runner: StageRunner,
  concurrency: number,
): UploadStage {
  const lanes = createUploadLanes({ concurrency, smallMaxBytes: ctx.chunkSize })
  const uploads = new Map<string, AbortController>()
  const meters = new Map<string, SpeedMeter>()
  /** Bytes each sending job has handed to the network (progress before storage confirms). */
  const sentBytes = new Map<string, number>()

  const start = (row: JobRow): void => {
    const controller = new AbortController()
    uploads.set(row.id, controller)
    lanes.started(row.id, row.size)
    const meter = createSpeedMeter()
    meter.record(row.confirmedBytes)
    meters.set(row.id, meter)
    runner.launch(
      [row.id],
      () => transferFile(ctx, row, controller.signal),
      () => {
        uploads.delete(row.id)
        lanes.ended(row.id)
      },
    )
  }

  return {
    lanes,
    pass(t) {
      const uploading = ctx.store.inStates(['uploading'])
      let waiting = 0
      let waitingBytes = 0
      let waitingTop = Number.NEGATIVE_INFINITY
      for (const row of uploading) {
        if (uploads.has(row.id) || row.paused) continue
        if (row.notBefore > t) {
          runner.wake(row.notBefore)
        } else if (lanes.canStart(row.size)) {
          start(row)
          continue
        }
        waiting++
        waitingBytes += row.size - row.confirmedBytes
        waitingTop = Math.max(waitingTop, row.priority)
      }
      return { uploading, waiting, waitingBytes, waitingTop }
    },
    abort: (id) => uploads.get(id)?.abort(),
    abortAll() {
      for (const c of uploads.values()) c.abort()
    },
    ids: () => uploads.keys(),
    count: () => uploads.size,
    speedOf: (id) => (uploads.has(id) ? (meters.get(id)?.speed() ?? 0) : 0),
    record: (row) =>
      meters.get(row.id)?.record(Math.max(row.confirmedBytes, sentBytes.get(row.id) ?? 0)),
    sent(row, bytes) {
      sentBytes.set(row.id, bytes)
      meters.get(row.id)?.record(Math.max(row.confirmedBytes, bytes))
    },
    sentOf: (id) => sentBytes.get(id),
    sentEntries: () => sentBytes.entries(),
    forget(id) {
      meters.delete(id)
      sentBytes.delete(id)
    },
  }
}
