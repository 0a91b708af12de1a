/**
 * Prepare, 100 files at a time: batch calls for groups, the single call for a lone file, and
 * per-row outcomes handled row by row. Completion lives in completion.ts.
 */
import { encodePlan, planFromPrepare } from './backblaze-upload.ts'
import { skipFilesOnBoard } from './board-recognition.ts'
import type { JobRow } from './job-store.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'

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
  const preparing = ctx.store.atomically(() =>
    rows.map((r) => ctx.store.transition(r.id, 'preparing')),
  )
  preparing.forEach(ctx.changed)
  let jobs: readonly JobRow[]
  try {
    jobs = await skipFilesOnBoard(ctx, preparing, signal)
  } catch (e) {
    return prepareFailed(ctx, preparing, e)
  }
  if (jobs.length === 0) return ok
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
