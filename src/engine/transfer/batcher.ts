/**
 * Prepare and complete, 100 files at a time: batch calls for groups, the single calls for a lone
 * file, and per-row outcomes handled row by row. Completion never blindly repeats: a job whose
 * complete request may have reached Playbook is looked up by signed_gcs_id first.
 */
import type { BatchRow } from '../playbook/schemas.ts'
import { encodePlan, multipartUploadId, planFromPrepare } from './backblaze-upload.ts'
import { clearedUpload } from './job-store.ts'
import type { JobRow } from './job-store.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'

/** The completion field a Backblaze multipart upload needs (nothing for other uploads). */
function multipartField(job: JobRow): { multipart_upload_id?: string } {
  const id = job.storageProvider === 'backblaze' ? multipartUploadId(job.providerPlan) : undefined
  return id === undefined ? {} : { multipart_upload_id: id }
}

/** Most rows a batch call takes. */
export const BATCH_LIMIT = 100

/** Prepares queued file jobs of one org (1 → upload_prepare, more → batch_upload_prepare). */
export async function prepareJobs(
  ctx: QueueContext,
  rows: readonly JobRow[],
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const org = rows[0]?.org
  if (org === undefined) return ok
  const jobs = ctx.store.atomically(() => rows.map((r) => ctx.store.transition(r.id, 'preparing')))
  jobs.forEach(ctx.changed)
  let results: Map<
    string,
    {
      upload_url?: string | null
      signed_gcs_id: string
      file_extension?: string | null
      encrypted_organization_metadata?: string | null
      storage_provider?: string | null
    }
  >
  let batchId: string | null = null
  try {
    if (jobs.length === 1) {
      const job = jobs[0] as JobRow
      const rec = await ctx.client.uploadPrepare(
        org,
        { title: job.title, media_type: job.mediaType, size: job.size },
        signal,
      )
      results = new Map([[job.id, rec]])
    } else {
      const rec = await ctx.client.batchUploadPrepare(
        org,
        jobs.map((j) => ({ uuid: j.id, title: j.title, size: j.size, media_type: j.mediaType })),
        signal,
      )
      batchId = rec.batch_id === null || rec.batch_id === undefined ? null : String(rec.batch_id)
      results = new Map(rec.assets.map((a) => [a.uuid, a]))
    }
  } catch (e) {
    return prepareFailed(ctx, jobs, e)
  }
  const preparedAt = ctx.now()
  ctx.store.atomically(() => {
    for (const job of jobs) {
      const rec = results.get(job.id)
      if (rec === undefined) {
        transientFailure(ctx, job, 'Playbook did not prepare this file', 'queued')
        continue
      }
      const provider = rec.storage_provider ?? 'gcs'
      const plan =
        provider === 'backblaze'
          ? planFromPrepare(rec, job.size)
          : provider === 'gcs'
            ? typeof rec.upload_url === 'string' && rec.upload_url !== ''
              ? undefined
              : 'Playbook gave no upload address for this file'
            : `Playbook asked for storage provider "${provider}", which this version cannot upload to`
      if (typeof plan === 'string') {
        moveIf(ctx, job.id, 'preparing', 'failed', { failReason: plan, retryable: false })
        continue
      }
      moveIf(ctx, job.id, 'preparing', 'uploading', {
        batchId,
        uploadUrl: rec.upload_url ?? null,
        providerPlan: plan === undefined ? null : encodePlan(plan),
        signedGcsId: rec.signed_gcs_id,
        fileExtension: rec.file_extension ?? null,
        orgMetadata: rec.encrypted_organization_metadata ?? null,
        storageProvider: provider,
        preparedAt,
        sessionUrl: null,
        confirmedBytes: 0,
        requestSent: false,
      })
    }
  })
  return ok
}

function prepareFailed(ctx: QueueContext, jobs: readonly JobRow[], e: unknown): StepOutcome {
  const kind = classify(e)
  const reason = messageOf(e)
  ctx.store.atomically(() => {
    for (const job of jobs) {
      switch (kind) {
        case 'abort':
        case 'auth':
        case 'offline':
          moveIf(ctx, job.id, 'preparing', 'queued')
          break
        case 'transient':
          transientFailure(ctx, job, reason, 'queued')
          break
        case 'fatal':
          // A batch refused as a whole: prepare each alone so only the bad file fails.
          if (jobs.length > 1) moveIf(ctx, job.id, 'preparing', 'queued', { solo: true })
          else moveIf(ctx, job.id, 'preparing', 'failed', { failReason: reason, retryable: false })
          break
      }
    }
  })
  if (kind === 'auth') return { kind: 'auth', reason }
  if (kind === 'offline') return { kind: 'offline', reason }
  return ok
}

/**
 * Completes uploaded jobs of one org, board and prepare batch. Jobs whose earlier complete may
 * have landed are looked up first; `request_sent` is written before each complete request.
 */
export async function completeJobs(
  ctx: QueueContext,
  rows: readonly JobRow[],
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const first = rows[0]
  if (first === undefined) return ok
  const { org, board } = first
  let pending = rows
  const unsure = rows.filter((r) => r.requestSent && r.signedGcsId !== null)
  if (unsure.length > 0) {
    try {
      const found = await ctx.client.findAssetsBySignedGcsId(
        org,
        board,
        unsure.map((r) => r.signedGcsId as string),
        signal,
      )
      for (const r of unsure) {
        const asset = found.get(r.signedGcsId as string)
        if (asset !== undefined)
          moveIf(ctx, r.id, 'completing', 'done', { assetToken: asset.token, failReason: null })
      }
      pending = rows.filter((r) => !found.has(r.signedGcsId as string))
    } catch (e) {
      return completeFailed(ctx, rows, e)
    }
  }
  if (pending.length === 0) return ok
  ctx.store.atomically(() => pending.forEach((r) => ctx.store.patch(r.id, { requestSent: true })))
  try {
    if (pending.length === 1 && first.batchId === null) {
      const job = pending[0] as JobRow
      const asset = await ctx.client.uploadComplete(
        org,
        {
          signed_gcs_id: job.signedGcsId ?? '',
          title: job.title,
          media_type: job.mediaType,
          size: job.size,
          collection_token: board,
          ...(job.description === null ? {} : { description: job.description }),
          ...multipartField(job),
        },
        signal,
      )
      moveIf(ctx, job.id, 'completing', 'done', { assetToken: asset.token, failReason: null })
      return ok
    }
    const answer = await ctx.client.batchUploadComplete(
      org,
      {
        ...(first.batchId === null ? {} : { batch_id: first.batchId }),
        collection_token: board,
        assets: pending.map((j) => ({
          uuid: j.id,
          signed_gcs_id: j.signedGcsId ?? '',
          title: j.title,
          media_type: j.mediaType,
          ...(j.description === null ? {} : { description: j.description }),
          ...multipartField(j),
        })),
      },
      signal,
    )
    applyRows(ctx, pending, answer)
    return ok
  } catch (e) {
    return completeFailed(ctx, pending, e)
  }
}

function applyRows(ctx: QueueContext, jobs: readonly JobRow[], answer: readonly BatchRow[]): void {
  const byUuid = new Map(answer.map((r) => [r.uuid, r]))
  ctx.store.atomically(() => {
    for (const job of jobs) {
      const row = byUuid.get(job.id)
      if (row?.asset) {
        moveIf(ctx, job.id, 'completing', 'done', { assetToken: row.asset.token, failReason: null })
        continue
      }
      const error = row?.error
      const status = typeof error === 'object' && error !== null ? (error.status ?? 0) : 0
      const message =
        typeof error === 'string' ? error : (error?.message ?? 'no answer for this file')
      rowFailed(ctx, job, status, `upload_complete: ${message}${status ? ` (HTTP ${status})` : ''}`)
    }
  })
}

/** Signed upload URLs live 24 h; after that Playbook refuses to complete them (422). */
const UPLOAD_URL_LIFETIME_MS = 24 * 60 * 60 * 1000

/** True when a 422 on completion means "this prepare expired", which a fresh prepare cures. */
function uploadExpired(ctx: QueueContext, job: JobRow, reason: string): boolean {
  if (/expired|prepare again/i.test(reason)) return true
  return job.preparedAt !== null && ctx.now() - job.preparedAt >= UPLOAD_URL_LIFETIME_MS
}

/** One file's definitive completion failure (a batch row, or the single call). */
function rowFailed(ctx: QueueContext, job: JobRow, status: number, reason: string): void {
  const current = ctx.store.get(job.id)
  if (current?.state !== 'completing') return
  if (status === 404 || status === 410 || (status === 422 && uploadExpired(ctx, current, reason))) {
    // The stored object is gone, or the prepared upload expired: upload again from a fresh prepare.
    transientFailure(ctx, current, reason, 'queued')
    const after = ctx.store.get(job.id)
    if (after?.state === 'queued') ctx.changed(ctx.store.patch(job.id, clearedUpload))
    return
  }
  if (status === 400 || status === 406 || status === 422 || status === 403) {
    moveIf(ctx, job.id, 'completing', 'failed', { failReason: reason, retryable: status === 403 })
    return
  }
  // 5xx or no answer: unknown whether it landed; request_sent stays, so the next try looks it up.
  transientFailure(ctx, current, reason)
}

function completeFailed(ctx: QueueContext, jobs: readonly JobRow[], e: unknown): StepOutcome {
  const kind = classify(e)
  const reason = messageOf(e)
  const status = (e as { status?: number }).status ?? 0
  ctx.store.atomically(() => {
    for (const job of jobs) {
      switch (kind) {
        case 'abort':
        case 'auth':
        case 'offline':
          break
        case 'transient':
          transientFailure(ctx, job, reason)
          break
        case 'fatal':
          rowFailed(ctx, job, status, reason)
          break
      }
    }
  })
  if (kind === 'auth') return { kind: 'auth', reason }
  if (kind === 'offline') return { kind: 'offline', reason }
  return ok
}
