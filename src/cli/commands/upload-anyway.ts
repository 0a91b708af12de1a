/**
 * `playbook-sync upload-anyway <file> [--board TOKEN]`: uploads one file of a synced folder that
 * the sync skips on purpose (an ignore rule, the same content as another file, a change the pair
 * skips), once, and waits for it to land. Running it again finds the same upload (nothing twice).
 */
import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { commands } from '../args.ts'
import type { Command } from '../context.ts'
import { openEngine, requireSignIn, toCliError } from '../engine-session.ts'
import { usageError } from '../exit-codes.ts'
import { finishRun, followUntilSettled, forwardEvents, trackJobs } from '../follow-jobs.ts'
import { RunTracker } from '../output/run-tracker.ts'
import type { PairSnapshot } from '../../shared/pair-models.ts'

/** The pairs whose folder holds `file` (absolute, canonical folder), with its path inside. */
export function pairsHolding(
  pairs: readonly PairSnapshot[],
  file: string,
): { readonly pair: PairSnapshot; readonly relPath: string }[] {
  const out: { pair: PairSnapshot; relPath: string }[] = []
  for (const pair of pairs) {
    const rel = relative(pair.folder, file)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue
    out.push({ pair, relPath: rel.split(sep).join('/') })
  }
  return out
}

/** The `upload-anyway` command. */
export const uploadAnywayCommand: Command = async (ctx) => {
  const usage = commands['upload-anyway'].usage
  const raw = ctx.args.positionals[0]
  if (!raw) throw usageError('which file? none given', `usage: playbook-sync ${usage}`)
  // The folder is made canonical (as pairs are stored); the file itself is not followed.
  const parent = await realpath(dirname(resolve(raw))).catch(() => undefined)
  if (parent === undefined) throw usageError(`folder not found: ${dirname(raw)}`)
  const file = join(parent, basename(resolve(raw)))
  const engine = await openEngine(ctx, { work: 'upload' })
  try {
    await requireSignIn(engine, ctx)
    const board = ctx.args.values.board as string | undefined
    const found = pairsHolding(engine.pairs(), file).filter(
      (c) => board === undefined || c.pair.board === board,
    )
    if (found.length === 0)
      throw usageError(
        `${raw} is not in a synced folder${board ? ` paired with board ${board}` : ''}`,
        '`playbook-sync status` lists the synced folders; to send any file use `playbook-sync upload`',
      )
    if (found.length > 1)
      throw usageError(
        `${raw} is in a folder synced with ${found.length} boards`,
        `pick one with --board (${found.map((c) => c.pair.board).join(', ')})`,
      )
    const { pair, relPath } = found[0] as (typeof found)[number]
    const tracker = new RunTracker()
    const stopForwarding = forwardEvents(engine, ctx, tracker)
    const doneBefore = new Set(
      engine
        .jobs()
        .filter((j) => j.state.kind === 'done')
        .map((j) => j.id),
    )
    let jobId: string
    try {
      jobId = await engine.uploadAnyway({ pairId: pair.id, relPath })
    } catch (e) {
      const converted = toCliError(e)
      if (converted !== e) throw converted
      throw usageError((e as Error).message, `usage: playbook-sync ${usage}`)
    }
    trackJobs(engine, tracker, [jobId], doneBefore)
    const end = await followUntilSettled(engine, ctx, tracker)
    stopForwarding()
    return finishRun(ctx, tracker, end === 'interrupted')
  } finally {
    await engine.close()
  }
}
