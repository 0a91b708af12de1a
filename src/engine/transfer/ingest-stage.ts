/**
 * The ingest stage: URL jobs beside the file pipeline. One pass creates queued URL jobs (same org
 * and board, up to 100, all-or-nothing; a create whose answer was lost is looked up first, see
 * url-ingest.ts) and polls the ones Playbook is fetching, each on its own growing delay.
 */
import { BATCH_LIMIT } from './batcher.ts'
import type { QueueContext } from './queue-context.ts'
import type { StageRunner } from './stage-runner.ts'
import { createIngests, pollDelayMs, pollIngest } from './url-ingest.ts'

/** The ingest stage. */
export interface IngestStage {
  /** Returns true when queued URL jobs exist but none may run yet. */
  pass(t: number, signal: AbortSignal): boolean
  /** A job left ingesting (cancelled): its poll plan goes. */
  forget(id: string): void
}

/** Creates the stage. */
export function createIngestStage(ctx: QueueContext, runner: StageRunner): IngestStage {
  let creating = false
  const polling = new Set<string>()
  const polls = new Map<string, { n: number; due: number }>()

  const create = (t: number, signal: AbortSignal): boolean => {
    if (creating || ctx.store.queuedTop('url') === undefined) return false
    const head = ctx.store.nextQueued('url', t)[0]
    if (head === undefined) return true
    const group = head.solo
      ? [head]
      : ctx.store.nextQueued('url', t, {
          org: head.org,
          board: head.board,
          notSolo: true,
          limit: BATCH_LIMIT,
        })
    creating = true
    runner.launch(
      group.map((r) => r.id),
      () => createIngests(ctx, group, signal),
      () => (creating = false),
    )
    return false
  }

  const poll = (t: number, signal: AbortSignal): void => {
    for (const row of ctx.store.inStates(['ingesting'])) {
      if (row.assetToken === null || polling.has(row.id) || row.paused) continue
      let plan = polls.get(row.id)
      if (plan === undefined) {
        plan = { n: 0, due: t + pollDelayMs(0) }
        polls.set(row.id, plan)
      }
      if (plan.due > t) {
        runner.wake(plan.due)
        continue
      }
      const n = plan.n
      polling.add(row.id)
      runner.launch(
        [row.id],
        async () => {
          const { outcome, terminal } = await pollIngest(ctx, row, signal)
          if (terminal) polls.delete(row.id)
          else polls.set(row.id, { n: n + 1, due: ctx.now() + pollDelayMs(n + 1) })
          return outcome
        },
        () => polling.delete(row.id),
      )
    }
  }

  return {
    pass(t, signal) {
      const lookAgain = create(t, signal)
      poll(t, signal)
      return lookAgain
    },
    forget: (id) => polls.delete(id),
  }
}
