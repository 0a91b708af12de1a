/**
 * The sync engine's work for one pair: turns files that are present (scanned or settled) and paths
 * that are gone into index updates and batched queue requests. Every decision is written after the
 * queue accepted the request, and the queue's dedupe keys make a replay after a crash harmless.
 */
import { basename, join } from 'node:path'
import type { Logger } from '../engine-types.ts'
import type { JobBrief, TransferQueue, UploadRequest } from '../transfer/types.ts'
import type { JobSnapshot } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import {
  classifyChange,
  isUnchanged,
  renameByContent,
  renameByInode,
  uploadRequestFor,
  versionTargetOf,
} from './change-policy.ts'
import { enqueueVersion } from './version-plan.ts'
import type { VersionPlan } from './version-plan.ts'
import type { PairTarget } from './change-policy.ts'
import { factsOf, hashFile, lstatOrMissing, sameFacts } from './file-facts.ts'
import type { FileFacts, ScannedFile } from './file-facts.ts'
import { splitRel } from './ignore-rules.ts'
import type { FileRow, StoredFileState, SyncStore } from './sync-store.ts'
import type { AssetEdits } from './asset-edits.ts'
import type { BoardMap } from './board-map.ts'
import { followFolder, recordBranchSkip, routeToBoards } from './board-routing.ts'

/** What the worker is given by the engine. */
export interface WorkerContext {
  readonly store: SyncStore
  readonly queue: TransferQueue
  readonly log: Logger
  readonly now: () => number
  /** Requests per `enqueue` call. */
  readonly batchSize: number
  /** Files hashed at once. */
  readonly hashConcurrency: number
  /** A file that cannot be uploaded, named with the reason (each run's failures list it). */
  readonly report?: (absPath: string, reason: string) => void
  /** Renames and moves carried to the board (absent: only the index follows the file). */
  readonly edits?: AssetEdits
  /** Which board each file goes to (sub-folders as child boards); absent: the pair's board. */
  readonly boardMap?: BoardMap
}

/** The pair being worked on, and a way to hand a file back to the settle tracker. */
export interface PairHandle extends PairTarget {
  readonly folder: string
  /** The file changed while it was being looked at: wait for it to settle again. */
  readonly resettle: (relPath: string) => void
}

/** The file state a job's state means. */
export function fileResultOf(job: JobSnapshot): {
  state: StoredFileState
  assetToken: string | null
  reason: string | null
} {
  const state = job.state
  switch (state.kind) {
    case 'done':
      return { state: 'synced', assetToken: state.assetToken, reason: null }
    case 'failed':
      return { state: 'failed', assetToken: null, reason: state.reason }
    case 'cancelled':
      return { state: 'cancelled', assetToken: null, reason: 'Upload cancelled' }
    case 'queued':
    case 'preparing':
    case 'uploading':
    case 'completing':
    case 'ingesting':
      return { state: 'pending', assetToken: null, reason: null }
    default:
      return assertNever(state, 'job state')
  }
}

/** True for job states that will not change without a user action. */
export function isSettledJob(job: JobSnapshot): boolean {
  return isSettledKind(job.state.kind)
}

/** True for the state kinds `isSettledJob` means (done, failed, cancelled). */
export function isSettledKind(kind: JobBrief['kind']): boolean {
  return kind === 'done' || kind === 'failed' || kind === 'cancelled'
}

/** Absolute path of a pair-relative path. */
export function absolutePath(folder: string, relPath: string): string {
  return join(folder, ...splitRel(relPath))
}

interface Planned {
  readonly request: UploadRequest
  readonly row: Omit<FileRow, 'jobId'>
  /** Set when the upload becomes a new version of the file's asset. */
  readonly version?: VersionPlan
}

/** Handles files that exist and have settled: record, move, or upload them. */
export async function processPresent(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly ScannedFile[],
): Promise<void> {
  const planned: Planned[] = []
  const toHash: ScannedFile[] = []
  const now = ctx.now()
  // The batch's rows are read in one lookup, not one query per file. A path whose row this loop
  // rewrites is read again; after waiting on the disk (when the index may have changed meanwhile)
  // the rest of the batch is read again.
  const lookUp = (from: number): Map<string, FileRow> =>
    ctx.store.filesAt(
      pair.id,
      files.slice(from).map((file) => file.relPath),
    )
  let known = lookUp(0)
  let waited = false
  const stale = new Set<string>()
  // Jobs of the batch's pending files, read in one go (a rescan asks about every one of them).
  const jobs = prefetchJobs(ctx, known.values())

  for (const [index, file] of files.entries()) {
    if (waited) {
      known = lookUp(index)
      stale.clear()
      waited = false
    }
    const row = stale.has(file.relPath)
      ? ctx.store.file(pair.id, file.relPath)
      : known.get(file.relPath)
    // An unreadable file is tried again at every look (a permission fix does not change mtime).
    if (row && row.state !== 'unreadable' && isUnchanged(row, file)) {
      for (const updated of reconcileKnown(ctx, pair, row, planned, jobs)) {
        if (updated.pairId === pair.id) stale.add(updated.relPath)
      }
      continue
    }
    if (!row || row.deletedAt !== null) {
      const candidates = ctx.store.renameCandidates(pair.id, file.relPath, file.ino, null)
      const onDisk = candidates.some((candidate) => candidate.deletedAt === null)
      const gone = onDisk ? await goneSet(pair, candidates) : deletedPaths(candidates)
      waited = onDisk
      const from = renameByInode(candidates, file, (candidate) => gone.has(candidate.relPath))
      if (from) {
        ctx.store.moveFile(pair.id, from.relPath, file.relPath, file, now)
        stale.add(from.relPath)
        stale.add(file.relPath)
        ctx.log.info('file moved', { pairId: pair.id, from: from.relPath, to: file.relPath })
        // A renamed folder renames its board first, so its files are not taken for moved.
        await followFolder(ctx, pair, from.relPath, file.relPath)
        await carryRename(ctx, pair, from, file.relPath)
        resumeMoved(ctx, pair, file.relPath, planned)
        continue
      }
    }
    if (recordBranchSkip(ctx, pair.id, file, row, now)) continue
    toHash.push(file)
  }

  const { hashed, unreadable } = await hashAll(ctx, pair, toHash)
  recordUnreadable(ctx, pair, unreadable, now)
  for (const { file, sha256 } of hashed) {
    let row = ctx.store.file(pair.id, file.relPath)
    if (row?.state === 'unreadable') {
      // Readable again: the same bytes it had on the board are synced again, anything else is new.
      if (row.assetToken !== null && row.sha256 === sha256) {
        ctx.store.putFile({ ...row, ...file, state: 'synced', reason: null, updatedAt: now })
        continue
      }
      ctx.store.putFile({ ...row, deletedAt: now, updatedAt: now })
      row = undefined
    }
    let renamedFrom: FileRow | undefined
    if (!row || row.deletedAt !== null) {
      const candidates = ctx.store.renameCandidates(pair.id, file.relPath, file.ino, sha256)
      const gone = await goneSet(pair, candidates)
      renamedFrom = renameByContent(candidates, sha256, (candidate) => gone.has(candidate.relPath))
    }
    const decision = classifyChange({
      row,
      sha256,
      renamedFrom,
      settings: pair.settings,
      assetShared: row !== undefined && row.sha256 !== sha256 && sharesAsset(ctx, row),
    })
    const facts: FileFacts = { size: file.size, mtimeMs: file.mtimeMs, ino: file.ino }
    switch (decision.kind) {
      case 'unchanged':
        break
      case 'touched':
        if (row && (row.state === 'pending' || row.state === 'failed') && !hasLiveJob(ctx, row)) {
          planned.push(plan(pair, file, sha256, now, false, replanVersion(ctx, pair, row)))
        } else if (row) {
          ctx.store.putFile({ ...row, ...facts, updatedAt: now })
        }
        break
      case 'skip-change':
        if (row) {
          ctx.store.putFile({
            ...row,
            ...facts,
            sha256,
            state: 'skipped',
            jobId: null,
            reason: 'Changed after upload; this pair skips changed files',
            updatedAt: now,
          })
        }
        break
      case 'restored':
        if (row) {
          ctx.store.putFile({ ...row, ...facts, deletedAt: null, updatedAt: now })
          resumeMoved(ctx, pair, file.relPath, planned)
        }
        break
      case 'moved':
        ctx.store.moveFile(pair.id, decision.from.relPath, file.relPath, facts, now)
        ctx.log.info('file moved', {
          pairId: pair.id,
          from: decision.from.relPath,
          to: file.relPath,
        })
        await followFolder(ctx, pair, decision.from.relPath, file.relPath)
        await carryRename(ctx, pair, decision.from, file.relPath)
        resumeMoved(ctx, pair, file.relPath, planned)
        break
      case 'upload':
        planned.push(
          plan(
            pair,
            file,
            sha256,
            now,
            decision.reason === 'changed',
            decision.versionOf === undefined || row === undefined
              ? undefined
              : { assetToken: decision.versionOf, rowJobId: row.jobId },
          ),
        )
        break
      default:
        assertNever(decision, 'change decision')
    }
  }
  submit(ctx, await routeToBoards(ctx, pair, planned))
}

/**
 * A known file whose facts did not change and that has not landed: plan it again when its job was
 * lost or failed (the same key revives a failed job, under the file's current path), else take a
 * missed result. Returns the rows it rewrote.
 */
function reconcileKnown(
  ctx: WorkerContext,
  pair: PairHandle,
  row: FileRow,
  planned: Planned[],
  jobs: JobLookup,
): readonly FileRow[] {
  if (row.state !== 'pending' && row.state !== 'failed') return []
  const brief = row.jobId === null ? undefined : jobs(row.jobId)
  if (brief === undefined || brief.kind === 'failed') {
    planned.push(plan(pair, row, row.sha256, ctx.now(), false, replanVersion(ctx, pair, row)))
    return []
  }
  if (brief.kind !== 'done' && brief.kind !== 'cancelled') return []
  // Settled: only now is the whole job read (its asset or reason becomes the file's).
  const job = row.jobId === null ? undefined : ctx.queue.job(row.jobId)
  return job !== undefined && isSettledJob(job)
    ? ctx.store.setJobResult(job.id, fileResultOf(job), ctx.now())
    : []
}

/**
 * A file that moved (or was renamed, or came back) before it landed: its job still names the old
 * path, or was superseded while the file looked deleted. A job that is still running finds the old
 * path gone and hands the file back (source changed); one that failed, was lost or was superseded
 * is planned again now, under the new path.
 */
function resumeMoved(
  ctx: WorkerContext,
  pair: PairHandle,
  relPath: string,
  planned: Planned[],
): void {
  const row = ctx.store.file(pair.id, relPath)
  if (row === undefined || row.size < 0 || row.deletedAt !== null) return
  if (row.state === 'synced' || (row.state === 'skipped' && row.jobId === null)) return
  const job = row.jobId === null ? undefined : ctx.queue.job(row.jobId)
  const kind = job?.state.kind
  if (kind === undefined || kind === 'failed' || kind === 'cancelled') {
    planned.push(plan(pair, row, row.sha256, ctx.now(), false, replanVersion(ctx, pair, row)))
  } else if (kind === 'done' && job !== undefined) {
    ctx.store.setJobResult(job.id, fileResultOf(job), ctx.now())
  }
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

/** True when the row's job exists and has not failed (it may still land). */
function hasLiveJob(ctx: WorkerContext, row: FileRow): boolean {
  if (row.jobId === null) return false
  const job = ctx.queue.job(row.jobId)
  return job !== undefined && job.state.kind !== 'failed'
}

/** Finds a job's state by id: from a prefetched batch when it is there, else from the queue. */
type JobLookup = (id: string) => JobBrief | undefined

/**
 * Reads the states of pending rows' jobs in one light query (a rescan asks about every one of
 * them; whole snapshots are read only for the few that settled); the lookup falls back to the queue.
 */
function prefetchJobs(ctx: WorkerContext, rows: Iterable<FileRow>): JobLookup {
  const ids: string[] = []
  for (const row of rows) if (row.state === 'pending' && row.jobId !== null) ids.push(row.jobId)
  const found = ids.length === 0 ? new Map<string, JobBrief>() : ctx.queue.jobStates(ids)
  return (id) => found.get(id) ?? ctx.queue.jobStates([id]).get(id)
}

/**
 * A synced file was renamed or moved: its asset is re-titled (and its description, when the pair
 * describes assets with their path) and moved to the board the new path goes to. An asset that
 * also stands for other files (same content) keeps its name and board.
 */
async function carryRename(
  ctx: WorkerContext,
  pair: PairHandle,
  from: FileRow,
  to: string,
): Promise<void> {
  if (ctx.edits === undefined || from.assetToken === null || from.state !== 'synced') return
  const moved = ctx.store.file(pair.id, to)
  if (moved === undefined || sharesAsset(ctx, moved)) return
  const target =
    ctx.boardMap === undefined
      ? { kind: 'board' as const, board: pair.board }
      : await ctx.boardMap.boardForPath(pair, to)
  // Moved into a branch the pair does not sync: the asset stays where it is, under its new name.
  const board =
    target.kind === 'board'
      ? target.board
      : ctx.boardMap === undefined
        ? pair.board
        : await ctx.boardMap
            .boardForPath(pair, from.relPath)
            .then((t) => (t.kind === 'board' ? t.board : pair.board))
  ctx.edits.request({
    assetToken: from.assetToken,
    pairId: pair.id,
    org: pair.org,
    relPath: to,
    title: basename(to.split('/').pop() ?? to),
    description: pair.settings.describeWithPath ? to : null,
    board,
  })
}

/**
 * True when the row's asset also stands for another live file of the pair (content dedupe: one
 * job, one asset): a version of it would change that file on the board too.
 */
function sharesAsset(ctx: WorkerContext, row: FileRow): boolean {
  if (row.jobId === null || row.assetToken === null) return false
  return ctx.store
    .filesOfJob(row.jobId)
    .some((other) => other.deletedAt === null && other.relPath !== row.relPath)
}

/**
 * A file planned again (its job failed or was lost) that was on its way to being a version of its
 * asset stays one: the same walk of rounds finds (and revives) the same job.
 */
function replanVersion(
  ctx: WorkerContext,
  pair: PairHandle,
  row: FileRow,
): VersionPlan | undefined {
  if (row.state !== 'pending' && row.state !== 'failed' && row.state !== 'cancelled')
    return undefined
  const assetToken = versionTargetOf(row, pair.settings, sharesAsset(ctx, row))
  return assetToken === undefined ? undefined : { assetToken, rowJobId: row.jobId }
}

function plan(
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
function submit(ctx: WorkerContext, planned: readonly Planned[]): void {
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

/**
 * Files that could not be read get a row of their own (state `unreadable`, the error code as the
 * reason), so they show in Sync issues instead of vanishing; the hash of a known row is kept.
 */
function recordUnreadable(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly { readonly file: ScannedFile; readonly code: string }[],
  now: number,
): void {
  if (files.length === 0) return
  ctx.store.atomically(() => {
    for (const { file, code } of files) {
      const row = ctx.store.file(pair.id, file.relPath)
      const live = row !== undefined && row.deletedAt === null
      ctx.store.putFile({
        pairId: pair.id,
        relPath: file.relPath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        ino: file.ino,
        sha256: live ? row.sha256 : '',
        state: 'unreadable',
        jobId: null,
        assetToken: live ? row.assetToken : null,
        reason: code,
        deletedAt: null,
        updatedAt: now,
      })
    }
  })
}

/** What hashing a batch found: hashes, and files that could not be read (with the error code). */
interface HashResult {
  readonly hashed: { file: ScannedFile; sha256: string }[]
  readonly unreadable: { file: ScannedFile; code: string }[]
}

/** Hashes files a few at a time; a file that changed meanwhile goes back to settling. */
async function hashAll(
  ctx: WorkerContext,
  pair: PairHandle,
  files: readonly ScannedFile[],
): Promise<HashResult> {
  const out: { file: ScannedFile; sha256: string }[] = []
  const unreadable: { file: ScannedFile; code: string }[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as ScannedFile
      const absPath = absolutePath(pair.folder, file.relPath)
      try {
        const sha256 = await hashFile(absPath, file.size)
        const after = await lstatOrMissing(absPath)
        if (!after?.isFile()) {
          pair.resettle(file.relPath)
          continue
        }
        const facts = factsOf(after)
        if (!sameFacts(facts, file)) {
          pair.resettle(file.relPath)
          continue
        }
        out.push({ file, sha256 })
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') pair.resettle(file.relPath)
        else {
          ctx.log.warn('cannot read file', {
            pairId: pair.id,
            relPath: file.relPath,
            code: code ?? String(error),
          })
          ctx.report?.(
            absPath,
            `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}); it is tried again on the next run`,
          )
          unreadable.push({ file, code: code ?? String(error) })
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, ctx.hashConcurrency) }, worker))
  return { hashed: out, unreadable }
}

/** The paths of deleted rows (all gone, no need to look on disk). */
function deletedPaths(rows: readonly FileRow[]): Set<string> {
  return new Set(rows.filter((row) => row.deletedAt !== null).map((row) => row.relPath))
}

/** Which of these rows' paths are gone (deleted rows, or nothing on disk any more). */
async function goneSet(pair: PairHandle, rows: readonly FileRow[]): Promise<Set<string>> {
  const gone = new Set<string>()
  for (const row of rows) {
    if (row.deletedAt !== null) {
      gone.add(row.relPath)
      continue
    }
    const info = await lstatOrMissing(absolutePath(pair.folder, row.relPath))
    if (!info?.isFile()) gone.add(row.relPath)
  }
  return gone
}

/** Handles paths that vanished: their rows are kept as deleted (nothing is deleted on Playbook). */
export async function processGone(
  ctx: WorkerContext,
  pair: PairHandle,
  relPaths: readonly string[],
): Promise<void> {
  for (const relPath of relPaths) {
    const info = await lstatOrMissing(absolutePath(pair.folder, relPath))
    if (info?.isFile()) {
      pair.resettle(relPath)
      continue
    }
    ctx.store.markDeleted(pair.id, relPath, ctx.now())
  }
}
