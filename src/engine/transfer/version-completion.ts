/**
 * Completion for jobs whose upload becomes a new version of an existing asset (an assumed route,
 * playbook/assumed/assets.ts), with exactly-once under lost answers, and the visible fallback
 * when the server has no versions route: the file is completed as a new asset (the ordinary
 * completion, completion.ts) and grouped with the old one where grouping exists, with a note on
 * the job and one notice to the user. The rule is in ARCHITECTURE.md.
 */
import { createAssetVersion, groupAssets, listAssetVersions } from '../playbook/assumed/assets.ts'
import type { AssetVersionRecord } from '../playbook/assumed/assets.ts'
import { isRouteMissingError, reportRouteMissing } from '../playbook/assumed/route-missing.ts'
import { isPlaybookError } from '../playbook/errors.ts'
import { multipartUploadId } from './backblaze-upload.ts'
import { completeJobs, notes, windowFor } from './completion.ts'
import { clearedUpload } from './job-store.ts'
import type { JobRow } from './job-store.ts'
import type { JobTargets, VersionFallback, VersionTarget } from './job-targets.ts'
import { classify, messageOf, moveIf, ok, transientFailure } from './queue-context.ts'
import type { QueueContext, StepOutcome } from './queue-context.ts'

/** How often a version whose answer was lost is looked for again during the grace period. */
const RELIST_MS = 5_000

/** Notes shown on version jobs. */
export const versionNotes = {
  checking:
    "Playbook's answer was lost: checking the asset's versions before adding this one again",
  waiting:
    'Playbook does not show this version yet: waiting for it to finish before adding it again',
  listFailed: "Could not read the asset's versions to check for this one; will look again",
  noVersions:
    'This Playbook cannot add versions: uploaded as a new asset, grouped with the earlier one',
  noVersionsNoGroup:
    'This Playbook cannot add versions: uploaded as a new asset next to the earlier one',
  assetGone: 'The earlier asset is no longer on Playbook: uploaded as a new asset',
  earlierSave:
    'Waiting for the earlier save of this file to reach Playbook, so its versions stay in order',
} as const

/** Told once per server when versions fall back to new assets. */
export const versionFallbackNotice =
  'This Playbook does not offer asset versions, so changed files are uploaded as new assets next to (or grouped with) their earlier version. Nothing is lost.'

/**
 * Completes a group of uploaded jobs: version jobs through the versions route, everything else
 * (and version jobs that fell back) through the ordinary completion.
 */
export async function completeWithTargets(
  ctx: QueueContext,
  targets: JobTargets,
  rows: readonly JobRow[],
  signal?: AbortSignal,
): Promise<StepOutcome> {
  const rest: JobRow[] = []
  for (const row of rows) {
    const target = targets.get(row.dedupeKey)
    if (target === undefined || target.fallback !== null) {
      rest.push(row)
      continue
    }
    const outcome = await completeVersion(ctx, targets, row, target, signal)
    if (outcome === 'fallback') {
      const again = ctx.store.get(row.id)
      if (again?.state === 'completing') rest.push(again)
      continue
    }
    if (outcome.kind !== 'ok') return outcome
  }
  if (rest.length === 0) return ok
  const outcome = await completeJobs(ctx, rest, signal)
  await groupFallbacks(ctx, targets, rest, signal)
  return outcome
}

/** The version among `versions` that this job's lost send created, if one is there. */
export function matchVersion(
  versions: readonly AssetVersionRecord[],
  job: { readonly size: number; readonly windowStart: number | null },
  target: VersionTarget,
  claimed: ReadonlySet<number>,
): AssetVersionRecord | undefined {
  const after = target.beforeNumber ?? Number.POSITIVE_INFINITY
  return versions.find((v) => {
    if (v.number <= after || claimed.has(v.number)) return false
    if (typeof v.size === 'number' && v.size !== job.size) return false
    const created = typeof v.created_at === 'number' ? v.created_at : Date.parse(v.created_at ?? '')
    return job.windowStart === null || !Number.isFinite(created) || created >= job.windowStart
  })
}

async function completeVersion(
  ctx: QueueContext,
  targets: JobTargets,
  row: JobRow,
  target: VersionTarget,
  signal: AbortSignal | undefined,
): Promise<StepOutcome | 'fallback'> {
  const key = target.dedupeKey
  const asset = target.assetToken
  const done = (number: number): StepOutcome => {
    ctx.store.atomically(() => {
      targets.patch(key, { versionNumber: number })
      moveIf(ctx, row.id, 'completing', 'done', { assetToken: asset, failReason: null, note: null })
    })
    return ok
  }
  let stage: 'read' | 'send' = 'read'
  try {
    let current = row
    if (row.requestSent) {
      // An earlier send may have landed: a version made since then is this job's.
      const versions = await listAssetVersions(ctx.client, row.org, asset, signal)
      const found = matchVersion(versions, row, target, targets.claimed(asset))
      if (found !== undefined) return done(found.number)
      const graceEnds = (row.sentAt ?? 0) + ctx.completionGraceMs
      const t = ctx.now()
      if (t < graceEnds) {
        ctx.changed(
          ctx.store.patch(row.id, {
            note: versionNotes.waiting,
            notBefore: Math.min(graceEnds, t + RELIST_MS),
          }),
        )
        return ok
      }
      const attempts = row.attempts + 1
      if (attempts >= ctx.maxAttempts) {
        moveIf(ctx, row.id, 'completing', 'failed', {
          attempts,
          failReason: notes.neverConfirmed,
          retryable: true,
          note: null,
        })
        return ok
      }
      current = ctx.store.patch(row.id, { attempts })
    } else if (target.beforeNumber === null) {
      // Read what the asset holds before the first send, so a lost answer can be told apart.
      const versions = await listAssetVersions(ctx.client, row.org, asset, signal)
      const newest = versions.reduce((n, v) => Math.max(n, v.number), 0)
      targets.patch(key, { beforeNumber: newest })
      target = targets.get(key) ?? target
    }
    const stamp = windowFor(ctx)
    ctx.store.patch(row.id, {
      requestSent: true,
      sentAt: ctx.now(),
      note: null,
      windowStart:
        current.requestSent && current.windowStart !== null
          ? current.windowStart
          : stamp.windowStart,
      attemptAt:
        current.requestSent && current.attemptAt !== null ? current.attemptAt : stamp.attemptAt,
    })
    stage = 'send'
    const multipart =
      row.storageProvider === 'backblaze' ? multipartUploadId(row.providerPlan) : undefined
    const version = await createAssetVersion(
      ctx.client,
      row.org,
      asset,
      {
        signed_gcs_id: row.signedGcsId ?? '',
        media_type: row.mediaType,
        size: row.size,
        ...(multipart === undefined ? {} : { multipart_upload_id: multipart }),
      },
      signal,
    )
    return done(version.number)
  } catch (e) {
    if (isRouteMissingError(e)) return fallBack(ctx, targets, row, key, 'route-missing')
    if (isPlaybookError(e) && e.status === 404 && /no longer on Playbook/.test(e.message))
      return fallBack(ctx, targets, row, key, 'asset-gone')
    return versionFailed(ctx, row, e, stage)
  }
}

/** The versions route is missing (or the asset is gone): complete as a new asset instead. */
function fallBack(
  ctx: QueueContext,
  targets: JobTargets,
  row: JobRow,
  key: string,
  why: VersionFallback,
): 'fallback' {
  ctx.store.atomically(() => {
    targets.patch(key, { fallback: why })
    const current = ctx.store.get(row.id)
    // The route answered "no such route" (or the asset is gone): that send created nothing.
    if (current?.state === 'completing')
      ctx.changed(
        ctx.store.patch(row.id, {
          requestSent: false,
          windowStart: null,
          attemptAt: null,
          sentAt: null,
          note: why === 'asset-gone' ? versionNotes.assetGone : versionNotes.noVersionsNoGroup,
        }),
      )
  })
  if (why === 'route-missing') {
    ctx.log.warn('versions route missing: uploading changed files as new assets', {
      jobId: row.id,
    })
    reportRouteMissing(ctx.routes, ctx.client.baseUrl, 'versions', versionFallbackNotice)
  }
  return 'fallback'
}

/** Groups fallback assets with the asset they were meant to be a version of (once each). */
async function groupFallbacks(
  ctx: QueueContext,
  targets: JobTargets,
  rows: readonly JobRow[],
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const row of rows) {
    const target = targets.get(row.dedupeKey)
    if (target === undefined || target.fallback === null || target.grouped) continue
    const current = ctx.store.get(row.id)
    if (current?.state !== 'done' || current.assetToken === null) continue
    let note: string = versionNotes.noVersions
    if (target.fallback === 'asset-gone') {
      ctx.store.atomically(() => {
        targets.patch(target.dedupeKey, { grouped: true })
        ctx.changed(ctx.store.patch(row.id, { note: versionNotes.assetGone }))
      })
      continue
    }
    try {
      // Grouping the same assets again is the same group, so a lost answer may simply repeat.
      await groupAssets(ctx.client, row.org, [target.assetToken, current.assetToken], signal)
    } catch (e) {
      ctx.log.warn('could not group a new asset with its earlier version', {
        jobId: row.id,
        error: messageOf(e),
        routeMissing: isRouteMissingError(e),
      })
      note = versionNotes.noVersionsNoGroup
    }
    ctx.store.atomically(() => {
      targets.patch(target.dedupeKey, { grouped: true })
      ctx.changed(ctx.store.patch(row.id, { note }))
    })
  }
}

/** A version send or read failed: the same classes as an ordinary completion. */
function versionFailed(
  ctx: QueueContext,
  row: JobRow,
  e: unknown,
  stage: 'read' | 'send',
): StepOutcome {
  const kind = classify(e)
  const reason = messageOf(e)
  const status = (e as { status?: number }).status ?? 0
  const current = ctx.store.get(row.id)
  if (current?.state !== 'completing') return ok
  switch (kind) {
    case 'abort':
      return ok
    case 'auth':
      // A 401 is an answer: this send created nothing; only an earlier send may be unsure.
      if (stage === 'send')
        ctx.store.patch(row.id, {
          sentAt: row.sentAt,
          requestSent: row.requestSent,
          windowStart: row.windowStart,
          attemptAt: row.attemptAt,
        })
      return { kind: 'auth', reason }
    case 'offline':
      if (current.requestSent) ctx.changed(ctx.store.patch(row.id, { note: versionNotes.checking }))
      return { kind: 'offline', reason }
    case 'transient':
      ctx.changed(
        ctx.store.patch(row.id, {
          note: current.requestSent ? versionNotes.checking : versionNotes.listFailed,
        }),
      )
      transientFailure(ctx, current, reason)
      return ok
    case 'fatal': {
      if (stage === 'send' && (status === 404 || status === 410 || /expired/i.test(reason))) {
        // The stored object is gone or the upload expired: nothing was made; upload again.
        moveIf(ctx, row.id, 'completing', 'queued', {
          ...clearedUpload,
          restarts: current.restarts + 1,
          attempts: 0,
          notBefore: ctx.now() + 1000 * (current.restarts + 1),
        })
        return ok
      }
      moveIf(ctx, row.id, 'completing', 'failed', {
        failReason: `Playbook refused this version: ${reason}`,
        retryable: status === 403 || status === 409 || status === 0,
        requestSent: false,
        note: null,
      })
      return ok
    }
  }
}
