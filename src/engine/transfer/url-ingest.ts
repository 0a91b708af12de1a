/**
 * URL ingest jobs: Playbook fetches the bytes itself. Create (single or batch, all-or-nothing),
 * then poll each skeleton asset until a terminal state (seed 003): 1–2 s at first, backing off
 * to a minute.
 */
import type { AssetRecord } from '../playbook/schemas.ts'
import { matchCreated } from './completion-match.ts'
import { notes, waitingOf, windowFor } from './completion.ts'
import type { JobRow } from './job-store.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'

/** Delay before the n-th poll (0-based): 1.5 s growing ×1.5 to 60 s. */
export function pollDelayMs(n: number): number {
  return Math.min(60_000, Math.round(1500 * 1.5 ** n))
}

/** Where a polled asset is. */
export type IngestState =
  | { readonly kind: 'pending' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly reason: string }

/**
 * Reads seed 003's terminal rules off an asset: finished once `is_skeleton` is false and either
 * `source_error` is set (failed), `is_link` is true (stored as a link) or `media_type` is set
 * (success). Anything else is still being fetched: the poll goes on, at its slower cadence.
 */
export function ingestState(asset: AssetRecord): IngestState {
  if (asset.is_skeleton === true) return { kind: 'pending' }
  if (typeof asset.source_error === 'string' && asset.source_error !== '') {
    return { kind: 'failed', reason: `Playbook could not ingest the URL: ${asset.source_error}` }
  }
  if (asset.is_link === true) return { kind: 'done' }
  if (typeof asset.media_type === 'string' && asset.media_type !== '') return { kind: 'done' }
  return { kind: 'pending' }
}

/** Creates URL assets for queued jobs of one org and board. */
export async function createIngests(
  ctx: QueueContext,
  rows: readonly JobRow[],
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const first = rows[0]
  if (first === undefined) return ok
  const { org, board } = first
  let pending = rows
  if (rows.some((r) => r.requestSent)) {
    // An earlier create may have landed: adopt the asset it made (title and creation time, the
    // same rule as completions), and wait out the grace period before creating again.
    try {
      const unsure = rows.filter((r) => r.requestSent)
      const assets = await ctx.client.allBoardAssets(org, board, signal)
      const found = matchCreated(unsure.map(waitingOf), assets, ctx.store.claimedAssets(board))
      const t = ctx.now()
      pending = rows.filter((r) => {
        const asset = found.get(r.id)
        if (asset !== undefined) {
          moveIf(ctx, r.id, 'queued', 'ingesting', { assetToken: asset.token, note: null })
          return false
        }
        const graceEnds = (r.sentAt ?? 0) + ctx.completionGraceMs
        if (r.requestSent && t < graceEnds) {
          ctx.changed(
            ctx.store.patch(r.id, {
              note: notes.waiting,
              notBefore: Math.min(graceEnds, t + 5000),
            }),
          )
          return false
        }
        return true
      })
    } catch (e) {
      return createFailed(ctx, rows, e)
    }
  }
  if (pending.length === 0) return ok
  const stamp = windowFor(ctx)
  const sentAt = ctx.now()
  const jobs = ctx.store.atomically(() =>
    pending.map((r) =>
      ctx.store.transition(r.id, 'ingesting', {
        requestSent: true,
        sentAt,
        note: null,
        windowStart: r.requestSent && r.windowStart !== null ? r.windowStart : stamp.windowStart,
        attemptAt: r.requestSent && r.attemptAt !== null ? r.attemptAt : stamp.attemptAt,
      }),
    ),
  )
  jobs.forEach(ctx.changed)
  try {
    if (jobs.length === 1) {
      const job = jobs[0] as JobRow
      const asset = await ctx.client.createAssetFromUrl(
        org,
        {
          uri: job.uri ?? '',
          title: job.title,
          collection_token: board,
          as_link: job.asLink,
          ...(job.description === null ? {} : { description: job.description }),
        },
        signal,
      )
      settle(ctx, job, asset)
      return ok
    }
    const answer = await ctx.client.batchCreateFromUrls(
      org,
      {
        collection_token: board,
        assets: jobs.map((j) => ({
          uuid: j.id,
          uri: j.uri ?? '',
          title: j.title,
          as_link: j.asLink,
        })),
      },
      signal,
    )
    const byUuid = new Map(answer.map((r) => [r.uuid, r]))
    for (const job of jobs) {
      const asset = byUuid.get(job.id)?.asset
      if (asset) settle(ctx, job, asset)
      else transientFailure(ctx, job, 'Playbook did not create this URL asset', 'queued')
    }
    return ok
  } catch (e) {
    return createFailed(ctx, jobs, e)
  }
}

function settle(ctx: QueueContext, job: JobRow, asset: AssetRecord): void {
  const state = ingestState(asset)
  switch (state.kind) {
    case 'pending':
      ctx.changed(ctx.store.patch(job.id, { assetToken: asset.token }))
      return
    case 'done':
      moveIf(ctx, job.id, 'ingesting', 'done', { assetToken: asset.token })
      return
    case 'failed':
      moveIf(ctx, job.id, 'ingesting', 'failed', {
        assetToken: asset.token,
        failReason: state.reason,
        retryable: false,
      })
      return
  }
}

function createFailed(ctx: QueueContext, jobs: readonly JobRow[], e: unknown): StepOutcome {
  const kind = classify(e)
  const reason = messageOf(e)
  ctx.store.atomically(() => {
    for (const job of jobs) {
      const current = ctx.store.get(job.id)
      if (current?.state !== 'ingesting' && current?.state !== 'queued') continue
      if (kind === 'fatal') {
        // All-or-nothing batch: retry each URL alone so only the bad one fails.
        if (jobs.length > 1)
          moveIf(ctx, job.id, current.state, 'queued', { requestSent: false, solo: true })
        else moveIf(ctx, job.id, current.state, 'failed', { failReason: reason, retryable: false })
      } else if (kind === 'transient') {
        if (current.state === 'ingesting') moveIf(ctx, job.id, 'ingesting', 'queued')
        const again = ctx.store.get(job.id)
        if (again !== undefined) transientFailure(ctx, again, reason)
      } else if (current.state === 'ingesting') {
        moveIf(ctx, job.id, 'ingesting', 'queued')
      }
    }
  })
  if (kind === 'auth') return { kind: 'auth', reason }
  if (kind === 'offline') return { kind: 'offline', reason }
  return ok
}

/** Polls one ingesting job once; `terminal` is true when it reached done or failed. */
export async function pollIngest(
  ctx: QueueContext,
  job: JobRow,
  signal?: AbortSignal,
): Promise<{ readonly outcome: StepOutcome; readonly terminal: boolean }> {
  if (job.assetToken === null) return { outcome: ok, terminal: false }
  try {
    const asset = await ctx.client.asset(job.org, job.assetToken, signal)
    settle(ctx, job, asset)
    return { outcome: ok, terminal: ingestState(asset).kind !== 'pending' }
  } catch (e) {
    const kind = classify(e)
    const reason = messageOf(e)
    if (kind === 'auth') return { outcome: { kind: 'auth', reason }, terminal: false }
    if (kind === 'offline') return { outcome: { kind: 'offline', reason }, terminal: false }
    if (kind === 'fatal') {
      moveIf(ctx, job.id, 'ingesting', 'failed', { failReason: reason, retryable: false })
      return { outcome: ok, terminal: true }
    }
    return { outcome: ok, terminal: false }
  }
}
