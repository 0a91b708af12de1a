/**
 * `--json` output: one JSON object per line on stdout, nothing else there. Job progress is
 * throttled per job and totals globally, so a fast upload does not flood a script's pipe.
 */
import type { EngineEvent } from '../../engine/engine-types.ts'
import { assertNever } from '../../shared/assert-never.ts'
import type { Reporter } from './reporter.ts'

const PROGRESS_EVERY_MS = 250
const TOTALS_EVERY_MS = 500

/** Writes NDJSON to `write` (stdout by default). */
export function createJsonReporter(
  write: (line: string) => void = (l) => process.stdout.write(l),
): Reporter {
  const seen = new Set<string>()
  const lastProgress = new Map<string, number>()
  let lastTotals = 0
  const emit = (o: unknown): void => write(`${JSON.stringify(o)}\n`)
  return {
    engineEvent(event: EngineEvent) {
      const now = Date.now()
      switch (event.type) {
        case 'job': {
          const added = !seen.has(event.job.id)
          seen.add(event.job.id)
          lastProgress.delete(event.job.id)
          emit({ type: added ? 'job-added' : 'job-changed', job: event.job })
          return
        }
        case 'job-progress': {
          const last = lastProgress.get(event.job.id) ?? 0
          if (now - last < PROGRESS_EVERY_MS) return
          lastProgress.set(event.job.id, now)
          emit({ type: 'job-progress', job: event.job })
          return
        }
        case 'totals':
          if (now - lastTotals < TOTALS_EVERY_MS) return
          lastTotals = now
          emit(event)
          return
        case 'session':
        case 'pair':
        case 'pair-removed':
        case 'notice':
          emit(event)
          return
        case 'overview':
          return
        default:
          assertNever(event, 'engine event')
      }
    },
    info(text) {
      emit({ type: 'message', message: text })
    },
    result(type, payload) {
      emit({ type, ...payload })
    },
    summary(summary) {
      emit(summary)
    },
    close() {},
  }
}
