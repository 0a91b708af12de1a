/**
 * One file's storage step: open (or resume) its resumable session and send the bytes (streamed in
 * one request, or chunk by chunk when the queue was given a chunk size), writing every sent-mark
 * and confirmed offset, then mark it `completing` before anything asks Playbook to complete it.
 * An upload URL that opens no session (seed 003's pre-signed PUT) takes the whole file in one PUT.
 */
import { redactUrl } from '../playbook/http.ts'
import { decodePlan, encodePlan, uploadJobToBackblaze } from './backblaze-upload.ts'
import { startSession, storageMetaHeaders, uploadFile } from './gcs-session.ts'
import { uploadStreaming } from './gcs-stream.ts'
import { clearedUpload } from './job-store.ts'
import type { JobRow } from './job-store.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import { sentReporter } from './sent-progress.ts'
import { putWholeFile } from './signed-put.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'
import {
  NotResumableError,
  RestartFromPrepareError,
  SourceChangedError,
  SourceUnreadableError,
} from './transfer-errors.ts'

/** Uploads a job in `uploading`; every outcome is written to the store before it returns. */
export async function transferFile(
  ctx: QueueContext,
  job: JobRow,
  signal: AbortSignal,
): Promise<StepOutcome> {
  let row = job
  try {
    const path = row.path
    if (path === null) throw new SourceUnreadableError('(none)', 'job has no file path')
    if (row.storageProvider === 'backblaze') {
      const { sha256 } = await uploadJobToBackblaze(ctx, row, signal)
      moveIf(ctx, row.id, 'uploading', 'completing', {
        sha256,
        confirmedBytes: row.size,
        requestSent: false,
      })
      return ok
    }
    if (row.uploadUrl === null) throw new RestartFromPrepareError('no upload URL recorded')
    if (row.sessionUrl === null && decodePlan(row.providerPlan)?.kind === 'single')
      return await sendWhole(ctx, row, row.uploadUrl, signal)
    if (row.sessionUrl === null) {
      let sessionUrl: string
      try {
        sessionUrl = await startSession(ctx.http, {
          uploadUrl: row.uploadUrl,
          mediaType: row.mediaType,
          orgMetadata: row.orgMetadata,
          extension: row.fileExtension,
          signal,
        })
      } catch (e) {
        if (!(e instanceof NotResumableError)) throw e
        if (ctx.store.get(row.id)?.state !== 'uploading') return ok
        // Seed 003's "pre-signed PUT URL": the whole file goes in one PUT (recorded, so a
        // restart does not ask for a session again).
        ctx.log.info('upload URL takes one PUT', { job: row.id, status: e.status })
        row = ctx.store.patch(row.id, { providerPlan: encodePlan({ kind: 'single' }) })
        return await sendWhole(ctx, row, row.uploadUrl as string, signal)
      }
      if (ctx.store.get(row.id)?.state !== 'uploading') return ok
      row = ctx.store.patch(row.id, {
        sessionUrl,
        confirmedBytes: 0,
        sentEnd: 0,
        sentSha256: null,
      })
    }
    const send = ctx.uploadMode === 'chunked' ? uploadFile : uploadStreaming
    const sent = ctx.sent
    const { sha256 } = await send({
      http: ctx.http,
      sessionUrl: row.sessionUrl as string,
      path,
      size: row.size,
      mtimeMs: row.mtimeMs,
      mediaType: row.mediaType,
      expectedSha256: row.expectedSha256,
      confirmed: row.confirmedBytes,
      sentMark: row.sentSha256 === null ? null : { end: row.sentEnd, sha256: row.sentSha256 },
      chunkSize: ctx.chunkSize,
      throttle: ctx.throttle,
      signal,
      sleep: ctx.sleep,
      random: ctx.random,
      onConfirmed: (bytes) => {
        if (ctx.store.get(row.id)?.state !== 'uploading') return
        row = ctx.store.patch(row.id, { confirmedBytes: bytes })
        ctx.progress(row)
      },
      onSending: (mark) => {
        if (ctx.store.get(row.id)?.state !== 'uploading') return
        row = ctx.store.patch(row.id, { sentEnd: mark.end, sentSha256: mark.sha256 })
      },
      ...(sent === undefined
        ? {}
        : {
            onSent: sentReporter((bytes) => {
              if (ctx.store.get(row.id)?.state === 'uploading') sent(row, bytes)
            }, row.size),
          }),
    })
    moveIf(ctx, row.id, 'uploading', 'completing', {
      sha256,
      confirmedBytes: row.size,
      requestSent: false,
    })
    return ok
  } catch (e) {
    return transferFailed(ctx, row, e)
  }
}

/** Sends the whole file to a URL that takes one PUT, then marks the job `completing`. */
async function sendWhole(
  ctx: QueueContext,
  job: JobRow,
  url: string,
  signal: AbortSignal,
): Promise<StepOutcome> {
  const sent = ctx.sent
  const { sha256 } = await putWholeFile(
    {
      http: ctx.http,
      path: job.path as string,
      size: job.size,
      mtimeMs: job.mtimeMs,
      mediaType: job.mediaType,
      expectedSha256: job.expectedSha256,
      headers: storageMetaHeaders({ orgMetadata: job.orgMetadata, extension: job.fileExtension }),
      ...(ctx.throttle === undefined ? {} : { throttle: ctx.throttle }),
      signal,
      ...(sent === undefined
        ? {}
        : {
            onSent: sentReporter((bytes) => {
              if (ctx.store.get(job.id)?.state === 'uploading') sent(job, bytes)
            }, job.size),
          }),
    },
    url,
  )
  moveIf(ctx, job.id, 'uploading', 'completing', {
    sha256,
    confirmedBytes: job.size,
    requestSent: false,
  })
  return ok
}

function transferFailed(ctx: QueueContext, row: JobRow, e: unknown): StepOutcome {
  const reason = messageOf(e)
  if (e instanceof RestartFromPrepareError) {
    ctx.log.warn('upload session lost, preparing again', {
      job: row.id,
      session: row.sessionUrl === null ? null : redactUrl(row.sessionUrl),
      reason,
    })
    transientFailure(ctx, row, reason, 'queued')
    if (ctx.store.get(row.id)?.state === 'queued')
      ctx.changed(ctx.store.patch(row.id, clearedUpload))
    return ok
  }
  if (e instanceof SourceChangedError) {
    // The session may hold bytes of another version: never reuse it.
    const failed = moveIf(ctx, row.id, 'uploading', 'failed', {
      ...clearedUpload,
      failReason: reason,
      retryable: true,
    })
    if (failed !== undefined) ctx.sourceChanged(failed)
    return ok
  }
  if (e instanceof SourceUnreadableError) {
    moveIf(ctx, row.id, 'uploading', 'failed', { failReason: reason, retryable: false })
    return ok
  }
  switch (classify(e)) {
    case 'abort':
      return ok
    case 'auth':
      return { kind: 'auth', reason }
    case 'offline':
      return { kind: 'offline', reason }
    case 'transient':
      transientFailure(ctx, row, reason)
      return ok
    case 'fatal':
      // Storage refused in a way resuming cannot fix: start again from a fresh prepare.
      transientFailure(ctx, row, reason, 'queued')
      if (ctx.store.get(row.id)?.state === 'queued')
        ctx.changed(ctx.store.patch(row.id, clearedUpload))
      return ok
  }
}
