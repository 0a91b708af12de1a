/**
 * Completion (upload_complete / batch_upload_complete) with exactly-once under lost answers.
 * A completion that may have taken effect (no answer, reset, timeout, 5xx, a crash while
 * `completing`) is never repeated blindly: the board is listed and the job matched to an asset it
 * created (completion-match.ts, documented fields only); only jobs still unmatched after the grace
 * period are completed again. A 4xx row is final: failed with Playbook's message, or prepared
 * again when the upload expired or its object is gone. The rule is in ARCHITECTURE.md.
 */
import { readBatchRow } from '../playbook/batch-row.ts'
import type { BatchRow } from '../playbook/schemas.ts'
import { matchCreated, titleKey } from './completion-match.ts'
import type { WaitingJob } from './completion-match.ts'
import { clearedUpload } from './job-store.ts'
import type { JobPatch, JobRow } from './job-store.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'
import { multipartUploadId } from './backblaze-upload.ts'

/** The completion field a Backblaze multipart upload needs (nothing for other uploads). */
function multipartField(job: JobRow): { multipart_upload_id?: string } {
  const id = job.storageProvider === 'backblaze' ? multipartUploadId(job.providerPlan) : undefined
  return id === undefined ? {} : { multipart_upload_id: id }
}

/** Skew margin when Playbook's clock is known from a `Date` header (whole seconds, latency). */
export const SERVER_MARGIN_MS = 15_000
/** Margin when no answer has told us Playbook's clock yet (the local clock may be off). */
export const LOCAL_MARGIN_MS = 10 * 60_000
/** How often a job waiting out the grace period lists the board again. */
const RELIST_MS = 5_000
/** How long a job held back (another file with its title is unresolved) waits before looking again. */
const HOLD_BACK_MS = 1_000

/** Notes shown on waiting jobs. */
export const notes = {
  checking:
    "Playbook's answer was lost: checking the board for this file before completing it again",
  waiting:
    'Playbook has not shown this file on the board yet: waiting for it to finish before completing again',
  listFailed:
    'Could not list the board to check whether Playbook already has this file; will look again',
  sameTitle: 'Waiting for another file with the same name to finish on this board',
  neverConfirmed:
    'Playbook never confirmed this file and the board does not show it; retry to send it again',
} as const

/** The server-clock window stamp for a send happening now. */
export function windowFor(ctx: QueueContext): { windowStart: number; attemptAt: number } {
  const server = ctx.client.serverNow()
  if (server !== undefined) return { windowStart: server - SERVER_MARGIN_MS, attemptAt: server }
  const local = ctx.now()
  return { windowStart: local - LOCAL_MARGIN_MS, attemptAt: local }
}

/** The waiting-job view of a row whose completion may have landed. */
export function waitingOf(row: JobRow): WaitingJob {
  const attemptAt = row.attemptAt ?? row.updatedAt
  return {
    id: row.id,
    title: row.title,
    mediaType: row.kind === 'file' ? row.mediaType : null,
    size: row.kind === 'file' ? row.size : null,
    windowStart: row.windowStart ?? attemptAt - LOCAL_MARGIN_MS,
    attemptAt,
  }
}

/**
 * Completes uploaded jobs of one org, board and prepare batch. Jobs whose earlier completion may
 * have landed are resolved first; the send stamp (`request_sent`, window) is written before each
 * request goes out.
 */
export async function completeJobs(
  ctx: QueueContext,
  rows: readonly JobRow[],
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const first = rows[0]
  if (first === undefined) return ok
  const { org, board } = first
  const unsure = rows.filter((r) => r.requestSent)
  const again: JobRow[] = []
  if (unsure.length > 0) {
    let assets
    try {
      assets = await ctx.client.allBoardAssets(org, board, signal)
    } catch (e) {
      const kind = classify(e)
      if (kind === 'auth' || kind === 'offline' || kind === 'abort') {
        return completeFailed(ctx, unsure, e)
      }
      ctx.store.atomically(() => {
        for (const r of unsure) {
          const row = ctx.store.get(r.id)
          if (row?.state === 'completing')
            ctx.changed(ctx.store.patch(r.id, { note: notes.listFailed }))
          transientFailure(ctx, r, `${notes.listFailed}: ${messageOf(e)}`)
        }
      })
      return ok
    }
    const found = matchCreated(unsure.map(waitingOf), assets, ctx.store.claimedAssets(board))
    const t = ctx.now()
    ctx.store.atomically(() => {
      for (const r of unsure) {
        const asset = found.get(r.id)
        if (asset !== undefined) {
          moveIf(ctx, r.id, 'completing', 'done', {
            assetToken: asset.token,
            failReason: null,
            note: null,
          })
          continue
        }
        const graceEnds = (r.sentAt ?? 0) + ctx.completionGraceMs
        if (t < graceEnds) {
          // The server may still be finishing: look again soon, never complete in this window.
          const row = ctx.store.get(r.id)
          if (row?.state === 'completing')
            ctx.changed(
              ctx.store.patch(r.id, {
                note: notes.waiting,
                notBefore: Math.min(graceEnds, t + RELIST_MS),
              }),
            )
          continue
        }
        // Grace is over and the board does not show it: it never landed. Send it again.
        again.push(r)
      }
    })
  }
  const fresh = rows.filter((r) => !r.requestSent)
  const allowed = holdBackSameTitles(ctx, [...again, ...fresh])
  // A repeat counts as an attempt, so a server that never confirms ends in a visible failure.
  const pending: JobRow[] = []
  ctx.store.atomically(() => {
    for (const r of allowed) {
      if (!r.requestSent) {
        pending.push(r)
        continue
      }
      const attempts = r.attempts + 1
      if (attempts >= ctx.maxAttempts) {
        moveIf(ctx, r.id, 'completing', 'failed', {
          attempts,
          failReason: notes.neverConfirmed,
          retryable: true,
          note: null,
        })
        continue
      }
      pending.push(ctx.store.patch(r.id, { attempts }))
    }
  })
  if (pending.length === 0) return ok
  const stamp = windowFor(ctx)
  const sentAt = ctx.now()
  ctx.store.atomically(() =>
    pending.forEach((r) => {
      const patch: JobPatch = {
        requestSent: true,
        sentAt,
        note: null,
        // The window starts at the FIRST attempt: an earlier send may be the one that landed.
        windowStart: r.requestSent && r.windowStart !== null ? r.windowStart : stamp.windowStart,
        attemptAt: r.requestSent && r.attemptAt !== null ? r.attemptAt : stamp.attemptAt,
      }
      ctx.store.patch(r.id, patch)
    }),
  )
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
      moveIf(ctx, job.id, 'completing', 'done', {
        assetToken: asset.token,
        failReason: null,
        note: null,
      })
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

/**
 * Keeps at most one unresolved completion per title on a board: a job whose title another job
 * already has in flight (or in this group) waits. This is what makes a listed asset belong to
 * one waiting job only, so two files with the same name and size can never be confused. When
 * several same-title jobs are already unsure (a retry, an older state), the one with the earliest
 * first attempt goes first and the others wait for it, so they can never block each other.
 */
function holdBackSameTitles(ctx: QueueContext, candidates: readonly JobRow[]): JobRow[] {
  if (candidates.length === 0) return []
  const board = candidates[0]?.board
  const ids = new Set(candidates.map((r) => r.id))
  const others = ctx.store
    .inStates(['completing'])
    .filter((r) => r.board === board && r.requestSent && !ids.has(r.id))
  const blocked = (r: JobRow): boolean =>
    others.some((o) => titleKey(o.title) === titleKey(r.title) && goesFirst(o, r))
  const out: JobRow[] = []
  const taken = new Set<string>()
  const t = ctx.now()
  for (const r of [...candidates].sort((a, b) => (goesFirst(a, b) ? -1 : 1))) {
    const key = titleKey(r.title)
    if (taken.has(key) || blocked(r)) {
      const row = ctx.store.get(r.id)
      if (row?.state === 'completing')
        ctx.changed(ctx.store.patch(r.id, { note: notes.sameTitle, notBefore: t + HOLD_BACK_MS }))
      continue
    }
    taken.add(key)
    out.push(r)
  }
  return out
}

/** Whether `a` may complete before `b`: unsure jobs by first attempt, then jobs never sent. */
function goesFirst(a: JobRow, b: JobRow): boolean {
  const rank = (r: JobRow): number =>
    r.requestSent ? (r.attemptAt ?? 0) : Number.POSITIVE_INFINITY
  const ra = rank(a)
  const rb = rank(b)
  return ra !== rb ? ra < rb : a.id < b.id
}

function applyRows(ctx: QueueContext, jobs: readonly JobRow[], answer: readonly BatchRow[]): void {
  const byUuid = new Map(answer.map((r) => [r.uuid, r]))
  ctx.store.atomically(() => {
    for (const job of jobs) {
      const outcome = readBatchRow(byUuid.get(job.id))
      switch (outcome.kind) {
        case 'asset':
          moveIf(ctx, job.id, 'completing', 'done', {
            assetToken: outcome.asset.token,
            failReason: null,
            note: null,
          })
          break
        case 'error':
          rowFailed(ctx, job, outcome.status, `Playbook refused this file: ${outcome.message}`)
          break
        case 'unknown':
          // No row for this file: it may have been created. Resolve it by listing, never resend.
          unsureAfterSend(ctx, job, 'Playbook answered without a result for this file')
          break
      }
    }
  })
}

/** Signed upload URLs live 24 h; after that Playbook refuses to complete them (422). */
const UPLOAD_URL_LIFETIME_MS = 24 * 60 * 60 * 1000

/** True when a refusal means "this prepare expired", which a fresh prepare cures. */
function uploadExpired(ctx: QueueContext, job: JobRow, reason: string): boolean {
  if (/expired|prepare again|re-?prepare|re-?upload/i.test(reason)) return true
  return job.preparedAt !== null && ctx.now() - job.preparedAt >= UPLOAD_URL_LIFETIME_MS
}

/** One file's definitive completion refusal (a batch row, or the single call). */
function rowFailed(ctx: QueueContext, job: JobRow, status: number, reason: string): void {
  const current = ctx.store.get(job.id)
  if (current?.state !== 'completing') return
  if (
    status === 404 ||
    status === 410 ||
    ((status === 422 || status === 400 || status === 0) && uploadExpired(ctx, current, reason))
  ) {
    // The stored object is gone, or the prepared upload expired: upload again from a fresh prepare
    // (nothing was created: a refused row made no asset). A fresh start gets fresh attempts (lost
    // answers before it must not use them up); `restarts` bounds how often that may happen.
    const restarts = current.restarts + 1
    if (restarts > ctx.maxAttempts) {
      moveIf(ctx, job.id, 'completing', 'failed', {
        failReason: `${reason} (the upload was started again ${current.restarts} times)`,
        retryable: true,
        requestSent: false,
        note: null,
      })
      return
    }
    moveIf(ctx, job.id, 'completing', 'queued', {
      ...clearedUpload,
      restarts,
      attempts: 0,
      notBefore: ctx.now() + 1000 * restarts,
    })
    return
  }
  if (status >= 500) {
    unsureAfterSend(ctx, current, reason)
    return
  }
  // Any other refusal is final for this file: say why; 403 (permissions) may be fixed and retried.
  moveIf(ctx, job.id, 'completing', 'failed', {
    failReason: reason,
    retryable: status === 403 || status === 0 || status === 409,
    requestSent: false,
    note: null,
  })
}

/** The completion may have landed: keep `request_sent`, back off; the next try lists first. */
function unsureAfterSend(ctx: QueueContext, job: JobRow, reason: string): void {
  const current = ctx.store.get(job.id)
  if (current?.state !== 'completing') return
  ctx.changed(ctx.store.patch(job.id, { note: notes.checking }))
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
          break
        case 'auth': {
          // A 401 is an answer: this send created nothing. Only an earlier send (if any) is unsure.
          const row = ctx.store.get(job.id)
          if (row?.state === 'completing') ctx.store.patch(job.id, { sentAt: job.sentAt })
          break
        }
        case 'offline': {
          // No answer (reset, timeout, unreachable): the queue backs off; the next try lists first.
          const row = ctx.store.get(job.id)
          if (row?.state === 'completing' && row.requestSent)
            ctx.changed(ctx.store.patch(job.id, { note: notes.checking }))
          break
        }
        case 'transient':
          unsureAfterSend(ctx, job, reason)
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
