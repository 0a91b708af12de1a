/**
 * Turning decisions into queue requests: plans an upload for a file (a new asset, or a version of
 * its asset), enqueues planned files in batches and records each file with its job after the queue
 * accepted it, so a replay after a crash finds the same jobs by their dedupe keys.
 */
import type { UploadRequest } from '../transfer/types.ts'
import { uploadRequestFor, versionTargetOf } from './change-policy.ts'
import { enqueueVersion } from './version-plan.ts'
import type { VersionPlan } from './version-plan.ts'
import type { FileFacts, ScannedFile } from './file-facts.ts'
import type { FileRow } from './sync-store.ts'
import { fileResultOf, isSettledJob, isSettledKind } from './job-results.ts'
import { absolutePath } from './worker-context.ts'
import type { PairHandle, WorkerContext } from './worker-context.ts'

/** A file planned for upload: its queue request and the index row it gets once accepted. */
export interface Planned {
  readonly request: UploadRequest
  readonly row: Omit<FileRow, 'jobId'>
  /** Set when the upload becomes a new version of the file's asset. */
  readonly version?: VersionPlan
}

/**
 * Cancels the pair's failed jobs that no live file points at any more: their file was decided
 * again (other content, another job) or is gone. Left failed, a later "retry all" could upload a
 * stale version next to the current one.
 */
export function sweepSuperseded(ctx: WorkerContext, pairId: string): void {
  for (const job of ctx.queue.jobs({ pairId, states: ['failed'] })) {
    const live = ctx.store.filesOfJob(job.id).some((row) => row.deletedAt === null)
    if (!live) ctx.queue.cancel(job.id)
  }
}

/**
 * True when the row's asset also stands for another live file of the pair (content dedupe: one
 * job, one asset): a version of it would change that file on the board too.
 */
export function sharesAsset(ctx: WorkerContext, row: FileRow): boolean {
  if (row.jobId === null || row.assetToken === null) return false
  return ctx.store
    .filesOfJob(row.jobId)
    .some((other) => other.deletedAt === null && other.relPath !== row.relPath)
}

/**
 * A file planned again (its job failed or was lost) that was on its way to being a version of its
 * asset stays one: the same walk of rounds finds (and revives) the same job.
 */
export function replanVersion(
  ctx: WorkerContext,
  pair: PairHandle,
  row: FileRow,
): VersionPlan | undefined {
  if (row.state !== 'pending' && row.state !== 'failed' && row.state !== 'cancelled')
    return undefined
  const assetToken = versionTargetOf(row, pair.settings, sharesAsset(ctx, row))
  return assetToken === undefined ? undefined : { assetToken, rowJobId: row.jobId }
}

/**
 * Plans the upload of a file with this content: the queue request (a new asset, or a version of
 * `version`'s asset) and the pending row recorded with its job.
 */
export function plan(
  pair: PairHandle,
  file: ScannedFile,
  sha256: string,
  now: number,
  changed = false,
  version?: VersionPlan,
): Planned {
  const facts: FileFacts = { size: file.size, mtimeMs: file.mtimeMs, ino: file.ino }
  return {
    request: uploadRequestFor(
      pair,
      {
        relPath: file.relPath,
        absPath: absolutePath(pair.folder, file.relPath),
        facts,
        sha256,
      },
      changed || version !== undefined,
      version === undefined ? undefined : { assetToken: version.assetToken, round: 0 },
    ),
    ...(version === undefined ? {} : { version }),
    row: {
      pairId: pair.id,
      relPath: file.relPath,
      ...facts,
      sha256,
      state: 'pending',
      // A version keeps the asset it belongs to, so a later save versions the same asset.
      assetToken: version?.assetToken ?? null,
      reason: null,
      deletedAt: null,
      updatedAt: now,
    },
  }
}

/**
 * Enqueues in batches of `batchSize`, then records each file with its job (and any result the job
 * already has) in one transaction for all the batches: one commit per call, not per batch.
 */
export function submit(ctx: WorkerContext, planned: readonly Planned[]): void {
  const accepted: { readonly item: Planned; readonly jobId: string }[] = []
  try {
    for (const item of planned) {
      if (item.version === undefined) continue
      const jobId = enqueueOne(ctx, item)
      if (jobId !== undefined) accepted.push({ item, jobId })
    }
    const plain = planned.filter((item) => item.version === undefined)
    for (let i = 0; i < plain.length; i += ctx.batchSize) {
      const batch = plain.slice(i, i + ctx.batchSize)
      let ids: readonly (string | undefined)[]
      try {
        ids = ctx.queue.enqueue(batch.map((item) => item.request))
      } catch {
        ids = batch.map((item) => enqueueOne(ctx, item))
      }
      batch.forEach((item, index) => {
        const jobId = ids[index]
        if (jobId !== undefined) accepted.push({ item, jobId })
      })
    }
  } finally {
    ctx.store.atomically(() => {
      // Light states first: whole snapshots only of the jobs that already settled (few).
      const states = ctx.queue.jobStates(accepted.map((a) => a.jobId))
      const settled = [...states].flatMap(([id, brief]) => (isSettledKind(brief.kind) ? [id] : []))
      const jobs = settled.length === 0 ? undefined : ctx.queue.jobsById(settled)
      for (const { item, jobId } of accepted) {
        const job = jobs?.get(jobId)
        const result = job && isSettledJob(job) ? fileResultOf(job) : undefined
        ctx.store.putFile({
          ...item.row,
          jobId,
          ...(result
            ? { state: result.state, assetToken: result.assetToken, reason: result.reason }
            : {}),
        })
      }
    })
    for (const pairId of new Set(accepted.map((a) => a.item.row.pairId)))
      sweepSuperseded(ctx, pairId)
  }
}

/** Enqueues one request alone so that a bad one cannot stop its batch; undefined when refused. */
function enqueueOne(ctx: WorkerContext, item: Planned): string | undefined {
  try {
    if (item.version !== undefined)
      return enqueueVersion(ctx.queue, item.row.pairId, item.request, item.version)
    return ctx.queue.enqueue([item.request])[0]
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    ctx.log.warn('upload request refused', {
      pairId: item.row.pairId,
      relPath: item.row.relPath,
      reason,
    })
    ctx.store.putFile({ ...item.row, jobId: null, state: 'failed', reason })
    const source = item.request.source
    ctx.report?.(source.kind === 'file' ? source.path : item.row.relPath, reason)
    return undefined
  }
}
