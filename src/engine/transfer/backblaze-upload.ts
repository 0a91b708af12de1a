/**
 * Uploads to the second storage provider Playbook names, Backblaze (assumed shapes: see
 * docs/storage-providers.md). A small file is one streamed PUT to `upload_url`; a large one is
 * sent as parts, several at once, each streamed from disk with its sha256 recorded on the job as
 * soon as storage took it, so a restart re-sends only missing parts. Before completion is allowed,
 * the file is read once more: every part must still hash to what was sent and the whole must hash
 * to the content that was decided, so parts of two versions can never become one asset.
 * The provider's details never leave this module: the queue sees a plan string and a sha256.
 */
import { createHash } from 'node:crypto'
import { isAbortError } from '../playbook/errors.ts'
import type { Sleep } from '../playbook/retry.ts'
import { realSleep } from '../playbook/retry.ts'
import type { PrepareRecord } from '../playbook/schemas.ts'
import { checkUnchanged, putRange, putWholeFile, readRange } from './signed-put.ts'
import type { SignedPutInput } from './signed-put.ts'
import {
  RestartFromPrepareError,
  SourceChangedError,
  SourceUnreadableError,
} from './transfer-errors.ts'
import type { JobRow } from './job-store.ts'
import type { QueueContext } from './queue-context.ts'

/** One part's URL, and once storage took it, the sha256 of what was sent. */
export interface PartPlan {
  readonly n: number
  readonly url: string
  readonly sha256?: string
}

/** What prepare decided for a Backblaze upload, stored on the job as JSON. */
export type BackblazePlan =
  | { readonly kind: 'single' }
  | {
      readonly kind: 'multipart'
      readonly uploadId: string
      readonly partSize: number
      readonly parts: readonly PartPlan[]
    }

/** Parts sent at once for one file. */
const PARALLEL_PARTS = 4
/** Tries per part before the file's upload fails (transiently) and the queue backs off. */
const PART_TRIES = 4

/**
 * Reads a Backblaze prepare answer into a plan; a string says why it cannot be used (the file
 * then fails with that reason, in words).
 */
export function planFromPrepare(rec: PrepareRecord, size: number): BackblazePlan | string {
  const loose = rec as Record<string, unknown>
  const uploadId = loose.multipart_upload_id
  if (typeof uploadId !== 'string' || uploadId === '') {
    return typeof rec.upload_url === 'string' && rec.upload_url !== ''
      ? { kind: 'single' }
      : 'Playbook gave no upload address for this file'
  }
  const partSize = Number(loose.part_size)
  const raw = Array.isArray(loose.parts) ? (loose.parts as unknown[]) : []
  const parts: PartPlan[] = []
  for (const p of raw) {
    const r = p as { part_number?: unknown; url?: unknown }
    if (typeof r.url !== 'string' || !Number.isSafeInteger(r.part_number)) continue
    parts.push({ n: r.part_number as number, url: r.url })
  }
  parts.sort((a, b) => a.n - b.n)
  const want = partSize > 0 ? Math.ceil(size / partSize) : NaN
  if (!Number.isSafeInteger(partSize) || partSize <= 0 || parts.length !== want) {
    return 'Playbook answered a multipart upload this version cannot follow (parts do not cover the file)'
  }
  if (parts.some((p, i) => p.n !== i + 1)) {
    return 'Playbook answered a multipart upload with parts out of sequence'
  }
  return { kind: 'multipart', uploadId, partSize, parts }
}

/** Serializes a plan for the job row. */
export function encodePlan(plan: BackblazePlan): string {
  return JSON.stringify(plan)
}

/** Reads a plan from the job row (undefined when there is none or it is damaged). */
export function decodePlan(text: string | null): BackblazePlan | undefined {
  if (text === null) return undefined
  try {
    const plan = JSON.parse(text) as BackblazePlan
    return plan.kind === 'single' || plan.kind === 'multipart' ? plan : undefined
  } catch {
    return undefined
  }
}

/** The id completion must carry for a multipart upload (seed 003's `multipart_upload_id`). */
export function multipartUploadId(planText: string | null): string | undefined {
  const plan = decodePlan(planText)
  return plan?.kind === 'multipart' ? plan.uploadId : undefined
}

/** Everything one Backblaze upload needs. */
export interface BackblazeUploadInput extends SignedPutInput {
  readonly plan: BackblazePlan
  readonly uploadUrl: string | null
  readonly sleep?: Sleep
  /** Called (awaited) whenever a part was taken by storage, with the updated plan to persist. */
  readonly onPlan?: (plan: BackblazePlan, bytesConfirmed: number) => void | Promise<void>
}

/** Uploads the file; resolves with the sha256 of what storage holds once it holds all of it. */
export async function uploadBackblaze(input: BackblazeUploadInput): Promise<{ sha256: string }> {
  if (input.plan.kind === 'single') {
    if (input.uploadUrl === null) throw new RestartFromPrepareError('no upload URL recorded')
    return putWholeFile(input, input.uploadUrl)
  }
  await checkUnchanged(input)
  let plan: Extract<BackblazePlan, { kind: 'multipart' }> = input.plan
  const bytesOf = (p: PartPlan): number =>
    Math.min(plan.partSize, input.size - (p.n - 1) * plan.partSize)
  for (let round = 0; round < 3; round++) {
    const missing = plan.parts.filter((p) => p.sha256 === undefined)
    let next = 0
    const record = async (n: number, sha256: string): Promise<void> => {
      plan = { ...plan, parts: plan.parts.map((p) => (p.n === n ? { ...p, sha256 } : p)) }
      const confirmed = plan.parts.reduce((sum, p) => sum + (p.sha256 ? bytesOf(p) : 0), 0)
      await input.onPlan?.(plan, confirmed)
    }
    const lane = async (): Promise<void> => {
      while (next < missing.length) {
        const part = missing[next++] as PartPlan
        const start = (part.n - 1) * plan.partSize
        const sha = await withTries(input, () =>
          putRange(input, part.url, start, start + bytesOf(part), `part ${part.n}`),
        )
        await record(part.n, sha)
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, missing.length) }, lane))
    // Every part is on storage: does the file (still) read as exactly those parts?
    const check = await verifyParts(input, plan)
    if (check.stale.length === 0) {
      if (input.expectedSha256 !== null && check.sha256 !== input.expectedSha256) {
        throw new SourceChangedError(input.path, 'content differs from when it was queued')
      }
      return { sha256: check.sha256 }
    }
    // Parts that changed since they were sent are sent again (the last PUT of a part wins).
    const stale = new Set(check.stale)
    plan = {
      ...plan,
      parts: plan.parts.map((p) => (stale.has(p.n) ? { n: p.n, url: p.url } : p)),
    }
    await input.onPlan?.(plan, 0)
  }
  throw new SourceChangedError(input.path, 'the file kept changing while it was uploaded')
}

/** Re-reads the file: which parts no longer hash as sent, and the whole file's sha256. */
async function verifyParts(
  input: BackblazeUploadInput,
  plan: Extract<BackblazePlan, { kind: 'multipart' }>,
): Promise<{ readonly stale: readonly number[]; readonly sha256: string }> {
  await checkUnchanged(input)
  const whole = createHash('sha256')
  const stale: number[] = []
  for (const part of plan.parts) {
    const start = (part.n - 1) * plan.partSize
    const end = Math.min(input.size, start + plan.partSize)
    const piece = createHash('sha256')
    for await (const chunk of readRange(input.path, start, end)) {
      piece.update(chunk)
      whole.update(chunk)
    }
    if (piece.digest('hex') !== part.sha256) stale.push(part.n)
  }
  return { stale, sha256: whole.digest('hex') }
}

/** Retries one part on network and server errors, a few times with a short backoff. */
async function withTries<T>(input: BackblazeUploadInput, fn: () => Promise<T>): Promise<T> {
  const sleep = input.sleep ?? realSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (e) {
      if (isAbortError(e) || input.signal?.aborted) throw e
      if (e instanceof RestartFromPrepareError || e instanceof SourceChangedError) throw e
      if (e instanceof SourceUnreadableError || attempt >= PART_TRIES) throw e
      await sleep(250 * 2 ** attempt, input.signal)
    }
  }
}

/**
 * The queue's side: uploads a job prepared for Backblaze, persisting each stored part on the job
 * (and its progress) before going on, so a restart re-sends only what storage lacks.
 */
export async function uploadJobToBackblaze(
  ctx: QueueContext,
  job: JobRow,
  signal: AbortSignal,
): Promise<{ sha256: string }> {
  const plan = decodePlan(job.providerPlan)
  if (plan === undefined) throw new RestartFromPrepareError('no storage plan recorded')
  if (job.path === null) throw new SourceUnreadableError('(none)', 'job has no file path')
  let row = job
  return uploadBackblaze({
    http: ctx.http,
    plan,
    uploadUrl: job.uploadUrl,
    path: job.path,
    size: job.size,
    mtimeMs: job.mtimeMs,
    mediaType: job.mediaType,
    expectedSha256: job.expectedSha256,
    ...(ctx.throttle === undefined ? {} : { throttle: ctx.throttle }),
    signal,
    sleep: ctx.sleep,
    onPlan: (next, confirmed) => {
      if (ctx.store.get(row.id)?.state !== 'uploading') return
      row = ctx.store.patch(row.id, { providerPlan: encodePlan(next), confirmedBytes: confirmed })
      ctx.progress(row)
    },
  })
}
