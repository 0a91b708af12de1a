/**
 * Ignore rules that change on a live pair (its own patterns, the patterns every pair shares, a
 * `.playbookignore`) take effect at the next scan: a known file the rules now leave out is set
 * aside as skipped with the reason (its upload, if one waits, is cancelled), and a file set aside
 * that the rules take again is queued like a new one. Files already on the board stay counted
 * there: ignoring a file never deletes anything on Playbook.
 */
import { factsOf, lstatOrMissing } from './file-facts.ts'
import type { ScannedFile } from './file-facts.ts'
import { splitRel } from './ignore-rules.ts'
import type { IgnoreRules } from './ignore-rules.ts'
import type { Runtime } from './pair-runtime.ts'
import { isSettledJob } from './job-results.ts'
import { absolutePath } from './worker-context.ts'
import type { WorkerContext } from './worker-context.ts'

/** How a reason written here starts, so these rows are told apart from other skipped files. */
export const ignoredReasonPrefix = 'Ignored'

/** True when the rules leave `relPath` out, by itself or through one of its folders. */
export function isIgnoredPath(rules: IgnoreRules, relPath: string): boolean {
  const segments = splitRel(relPath)
  for (let depth = 1; depth < segments.length; depth++) {
    if (rules.test(segments.slice(0, depth).join('/'), 'dir') !== undefined) return true
  }
  return rules.test(relPath, 'file') !== undefined
}

/**
 * The reason shown for a file set aside, from the rule the pair's rules name for it
 * (`IgnoreRules.explain`): the folder's own pattern, one from Settings, or the other rules.
 */
export function ignoredReason(rt: Runtime, relPath: string): string {
  const match = rt.rules.explain(relPath, 'file')
  if (match?.reason === 'pattern' && match.pattern !== null)
    return `${ignoredReasonPrefix} by the pattern "${match.pattern}" in this folder's settings; it uploads again if you remove the pattern`
  if (match?.reason === 'shared-pattern' && match.pattern !== null)
    return `${ignoredReasonPrefix} by the pattern "${match.pattern}" in Settings (every folder); it uploads again if you remove the pattern`
  return `${ignoredReasonPrefix} by the folder's ignore rules (.playbookignore, hidden or junk files); it uploads again if they stop matching`
}

/**
 * Of the paths a scan did not find, sets aside those still on disk that the rules now leave out
 * and returns the rest (really gone, for `processGone`).
 */
export async function setAsideIgnored(
  ctx: WorkerContext,
  rt: Runtime,
  relPaths: readonly string[],
): Promise<string[]> {
  const gone: string[] = []
  for (const relPath of relPaths) {
    const info = await lstatOrMissing(absolutePath(rt.row.folder, relPath))
    if (!info?.isFile() || !isIgnoredPath(rt.rules, relPath)) {
      gone.push(relPath)
      continue
    }
    const row = ctx.store.file(rt.row.id, relPath)
    if (row === undefined || row.deletedAt !== null || row.state === 'synced') continue
    if (row.state === 'skipped' && row.reason?.startsWith(ignoredReasonPrefix)) continue
    const job = row.jobId === null ? undefined : ctx.queue.job(row.jobId)
    // "Upload anyway" overrides the rules for this file: it keeps its row and its upload.
    if (job?.forced === true) continue
    // The row lets go of its job first, so the cancellation's event does not rewrite it.
    ctx.store.putFile({
      ...row,
      state: 'skipped',
      jobId: null,
      reason: ignoredReason(rt, relPath),
      updatedAt: ctx.now(),
    })
    if (job !== undefined && !isSettledJob(job) && ctx.store.filesOfJob(job.id).length === 0)
      ctx.queue.cancel(job.id)
    ctx.log.info('file now ignored', { pairId: rt.row.id, relPath })
  }
  return gone
}

/**
 * Files set aside by the ignore rules that this scan found again (the rules take them now): their
 * facts and job are forgotten so `processPresent` reads and queues them like new files.
 */
export async function takeBackUnignored(
  ctx: WorkerContext,
  rt: Runtime,
  seen: ReadonlySet<string>,
): Promise<ScannedFile[]> {
  const back = ctx.store
    .skippedFiles(rt.row.id)
    .filter((row) => row.reason?.startsWith(ignoredReasonPrefix) && seen.has(row.relPath))
  const files: ScannedFile[] = []
  for (const row of back) {
    const info = await lstatOrMissing(absolutePath(rt.row.folder, row.relPath))
    if (!info?.isFile()) continue
    ctx.store.putFile({
      ...row,
      size: -1,
      state: 'pending',
      jobId: null,
      reason: null,
      updatedAt: ctx.now(),
    })
    files.push({ relPath: row.relPath, ...factsOf(info) })
    ctx.log.info('file no longer ignored', { pairId: rt.row.id, relPath: row.relPath })
  }
  return files
}

/**
 * How many of a scan's ignored entries are files set aside here (counted as skipped rows
 * already): each such file itself, or the top ignored folder holding it (a folder counts once in
 * the walk). The pair's ignored count leaves these out, so no file is counted twice.
 */
export function ignoredEntriesWithRows(ctx: WorkerContext, rt: Runtime): number {
  let direct = 0
  const folders = new Set<string>()
  for (const row of ctx.store.skippedFiles(rt.row.id)) {
    if (!row.reason?.startsWith(ignoredReasonPrefix)) continue
    const segments = splitRel(row.relPath)
    let folder: string | undefined
    for (let depth = 1; depth < segments.length && folder === undefined; depth++) {
      const dir = segments.slice(0, depth).join('/')
      if (rt.rules.test(dir, 'dir') !== undefined) folder = dir
    }
    if (folder !== undefined) folders.add(folder)
    else if (rt.rules.test(row.relPath, 'file') !== undefined) direct++
  }
  return direct + folders.size
}
