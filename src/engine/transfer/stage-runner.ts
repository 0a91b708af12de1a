/**
 * What every stage shares: launching one step as a tracked task (its outcome goes to the mode,
 * a bug delays its jobs instead of spinning, a local problem halts the queue) and one timer that
 * wakes the scheduler when the earliest waiting job may run.
 */
import type { Logger } from '../engine-types.ts'
import { isLocalTrouble } from '../store/local-trouble.ts'
import type { JobStore } from './job-store.ts'
import { messageOf } from './queue-context.ts'
import type { StepOutcome } from './queue-context.ts'

/** Launches steps and keeps the wake-up timer. */
export interface StageRunner {
  /** Runs `step` for jobs `ids`; `done` runs when it ends, then the scheduler runs again. */
  launch(ids: readonly string[], step: () => Promise<StepOutcome>, done: () => void): void
  /** Asks for a scheduling pass at `at` (the earliest request wins). */
  wake(at: number): void
  /** Forgets the pending wake-up (a pass is running, or the queue stops). */
  clearWake(): void
  /** Resolves when every launched step has ended. */
  settled(): Promise<void>
  /** Steps running now. */
  readonly running: () => number
}

/** What the runner reports to and reads from the queue. */
export interface StageRunnerOptions {
  readonly store: JobStore
  readonly log: Logger
  readonly now: () => number
  /** A step's outcome (ok, signed out, offline): the mode decides. */
  readonly outcome: (outcome: StepOutcome) => void
  /** The state cannot be written: stop for good. */
  readonly halt: (error: unknown) => void
  /** Runs a scheduling pass soon (after a step ended, or at a wake-up). */
  readonly schedule: () => void
}

/** Creates the runner. */
export function createStageRunner(options: StageRunnerOptions): StageRunner {
  const { store, log, now } = options
  const tasks = new Set<Promise<void>>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let timerAt = Number.POSITIVE_INFINITY

  const clearWake = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    timerAt = Number.POSITIVE_INFINITY
  }

  return {
    launch(ids, step, done) {
      const task = (async () => {
        try {
          options.outcome(await step())
        } catch (e) {
          if (isLocalTrouble(e)) {
            // The state cannot be written: stop here (every earlier step is saved) and say so.
            options.halt(e)
            return
          }
          log.error('transfer step failed unexpectedly', { error: messageOf(e) })
          try {
            for (const id of ids) {
              const row = store.get(id)
              if (row !== undefined)
                store.patch(id, { attempts: row.attempts + 1, notBefore: now() + 5000 })
            }
          } catch (inner) {
            log.error('transfer step could not be delayed', { error: messageOf(inner) })
          }
        } finally {
          done()
          options.schedule()
        }
      })()
      tasks.add(task)
      void task.finally(() => tasks.delete(task))
    },
    wake(at) {
      if (at >= timerAt) return
      if (timer !== undefined) clearTimeout(timer)
      timerAt = at
      timer = setTimeout(
        () => {
          timer = undefined
          timerAt = Number.POSITIVE_INFINITY
          options.schedule()
        },
        Math.max(0, at - now()),
      )
    },
    clearWake,
    async settled() {
      await Promise.allSettled([...tasks])
    },
    running: () => tasks.size,
  }
}
