/**
 * The sync engine's work for one pair: turns files that are present (scanned or settled) and paths
 * that are gone into index updates and batched queue requests (pair-submit.ts), reading files for
 * their hashes (pair-hashing.ts). Every decision is written after the queue accepted the request,
 * and the queue's dedupe keys make a replay after a crash harmless.
 */
import { basename } from 'node:path'
import type { JobBrief } from '../transfer/types.ts'
import { assertNever } from '../../shared/assert-never.ts'
import { classifyChange, isUnchanged, renameByContent, renameByInode } from './change-policy.ts'
import { lstatOrMissing } from './file-facts.ts'
import type { FileFacts, ScannedFile } from './file-facts.ts'
import type { FileRow } from './sync-store.ts'
import { followFolder, recordBranchSkip, routeToBoards } from './board-routing.ts'
import { fileResultOf, isSettledJob } from './job-results.ts'
import { hashAll, recordUnreadable } from './pair-hashing.ts'
import { plan, replanVersion, sharesAsset, submit } from './pair-submit.ts'
import type { Planned } from './pair-submit.ts'
import { absolutePath } from './worker-context.ts'
import type { PairHandle, WorkerContext } from './worker-context.ts'

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
