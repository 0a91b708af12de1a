/**
 * Shared by `sync` and `demo`: pair a folder with a board (or reuse the pair), catch up, report,
 * then either stop (`--once`) or keep watching until Ctrl-C.
 */
import type { Engine } from '../engine/engine-types.ts'
import type { BoardMapping, PairSettings, PairSnapshot } from '../shared/pair-models.ts'
import type { CommandContext } from './context.ts'
import { toCliError } from './engine-session.ts'
import { finishRun, followUntilSettled, forwardEvents } from './follow-jobs.ts'
import { RunTracker } from './output/run-tracker.ts'

/** What to pair and how long to stay. */
export interface PairRunInput {
  readonly folder: string
  readonly board: string
  readonly boardTitle?: string
  readonly once: boolean
  /** Pair settings to set (e.g. `uploadExisting` for --force). */
  readonly settings?: Partial<PairSettings>
  /** Where sub-folders go (`--flat`); absent: a new pair mirrors them, a known pair keeps its map. */
  readonly mapping?: BoardMapping
  /** Printed after the first catch-up (e.g. the demo's board page URL). */
  readonly afterCatchUp?: (pair: PairSnapshot) => void
}

/** Finds the pair for folder+board, or creates it (the engine's addPair is idempotent). */
export async function ensurePair(
  engine: Engine,
  folder: string,
  board: string,
  boardTitle?: string,
  settings?: Partial<PairSettings>,
  mapping?: BoardMapping,
): Promise<PairSnapshot> {
  return engine.addPair({
    folder,
    board,
    ...(boardTitle ? { boardTitle } : {}),
    ...(settings ? { settings } : {}),
    ...(mapping ? { mapping } : {}),
  })
}

/** Runs the pair; returns the exit code. */
export async function runPair(
  engine: Engine,
  ctx: CommandContext,
  input: PairRunInput,
): Promise<number> {
  const tracker = new RunTracker()
  const stopForwarding = forwardEvents(engine, ctx, tracker)
  let pair: PairSnapshot
  try {
    pair = await ensurePair(
      engine,
      input.folder,
      input.board,
      input.boardTitle,
      input.settings,
      input.mapping,
    )
  } catch (e) {
    throw toCliError(e)
  }
  const pairId = pair.id
  const before = new Map(
    engine
      .jobs()
      .filter((j) => j.pairId === pairId)
      .map((j) => [j.id, j.state.kind]),
  )
  // Files that failed before are decided again by the catch-up scan (which revives their jobs).
  tracker.skip(pair.counts.synced)
  const trackNew = (): void => {
    for (const job of engine.jobs()) {
      if (job.pairId !== pairId || tracker.has(job.id)) continue
      if (before.get(job.id) === 'done') continue
      tracker.track(job, false)
    }
  }
  let caughtUp = false
  let syncError: unknown
  const catchUp = engine
    .syncNow(pairId)
    .then(() => engine.idle(pairId))
    .then(
      () => {
        caughtUp = true
      },
      (e: unknown) => {
        syncError = e
        caughtUp = true
      },
    )
  const end = await followUntilSettled(engine, ctx, tracker, () => {
    trackNew()
    return caughtUp && tracker.settled()
  })
  if (syncError) throw toCliError(syncError)
  if (end === 'interrupted') {
    stopForwarding()
    void catchUp
    return finishRun(ctx, tracker, true)
  }
  const current = engine.pairs().find((p) => p.id === pairId) ?? pair
  if (current.status.kind === 'error')
    ctx.reporter.info(
      `pair error: ${current.status.reason}${current.status.hint ? ` (${current.status.hint})` : ''}`,
    )
  input.afterCatchUp?.(current)
  if (input.once) {
    stopForwarding()
    return finishRun(ctx, tracker, false)
  }
  ctx.reporter.info(
    `Watching ${input.folder}: new and changed files upload as they are saved. Ctrl-C to stop.`,
  )
  await followUntilSettled(engine, ctx, tracker, () => {
    trackNew()
    return false
  })
  stopForwarding()
  return finishRun(ctx, tracker, true)
}
