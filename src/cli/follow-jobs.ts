/**
 * Follows a run's jobs through the engine's event stream until they all settle, the user stops
 * (Ctrl-C), or the session expires (a 401: exit 3). Output goes to the reporter as it happens.
 */
import type { Engine, EngineEvent } from '../engine/engine-types.ts'
import type { CommandContext } from './context.ts'
import { authError, CliError, ExitCode } from './exit-codes.ts'
import type { RunTracker } from './output/run-tracker.ts'

const POLL_MS = 500

/** How following ended. */
export type FollowEnd = 'settled' | 'interrupted'

/** Forwards every engine event to the reporter and feeds job snapshots to the tracker. */
export function forwardEvents(
  engine: Engine,
  ctx: CommandContext,
  tracker?: RunTracker,
): () => void {
  return engine.subscribe((event: EngineEvent) => {
    if (tracker && (event.type === 'job' || event.type === 'job-progress'))
      tracker.update(event.job)
    if (tracker && event.type === 'notice' && event.file !== undefined)
      tracker.fail(event.file.path, event.file.reason)
    ctx.reporter.engineEvent(event)
  })
}

/**
 * Resolves when every tracked job is done, failed or cancelled (or `until` says so), or on Ctrl-C.
 * Throws an auth CliError when the session expires meanwhile.
 */
export function followUntilSettled(
  engine: Engine,
  ctx: CommandContext,
  tracker: RunTracker,
  until: () => boolean = () => tracker.settled(),
): Promise<FollowEnd> {
  return new Promise<FollowEnd>((resolve, reject) => {
    let finished = false
    const finish = (how: FollowEnd | Error): void => {
      if (finished) return
      finished = true
      clearInterval(timer)
      unsubscribe()
      ctx.signal.removeEventListener('abort', onAbort)
      if (how instanceof Error) reject(how)
      else resolve(how)
    }
    const check = (): void => {
      const session = engine.session()
      if (session.kind === 'expired') {
        finish(authError(`the token was rejected by ${session.apiUrl} during the run`))
        return
      }
      for (const job of engine.jobs()) tracker.update(job)
      if (until()) finish('settled')
    }
    const onAbort = (): void => finish('interrupted')
    const unsubscribe = engine.subscribe((event) => {
      if (event.type === 'session' || event.type === 'job') queueMicrotask(check)
      if (event.type === 'notice' && event.halted === true)
        finish(new CliError(ExitCode.localTrouble, event.message))
    })
    const timer = setInterval(check, POLL_MS)
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    if (ctx.signal.aborted) onAbort()
    else check()
  })
}

/** Enqueues `ids` into the tracker, retrying ones a previous run left failed. */
export function trackJobs(
  engine: Engine,
  tracker: RunTracker,
  ids: readonly string[],
  doneBefore: ReadonlySet<string>,
): void {
  const byId = new Map(engine.jobs().map((j) => [j.id, j]))
  for (const id of ids) {
    const job = byId.get(id)
    if (!job) continue
    tracker.track(job, doneBefore.has(id))
    if (job.state.kind === 'failed') engine.retry(id)
  }
}

/** Ends a transfer run: prints the summary and picks the exit code. */
export function finishRun(ctx: CommandContext, tracker: RunTracker, interrupted: boolean): number {
  const summary = tracker.summary()
  ctx.reporter.summary(summary)
  if (interrupted) return ExitCode.interrupted
  return summary.failed > 0 ? ExitCode.someFailed : ExitCode.ok
}
