/**
 * What every command writes to: live engine events, results and the final summary. Two
 * implementations: NDJSON for scripts (`--json`), and text with progress bars for people.
 */
import type { EngineEvent } from '../../engine/engine-types.ts'
import type { Summary } from './run-tracker.ts'

/** The CLI's output channel. */
export interface Reporter {
  /** A live engine event (jobs, progress, totals, pairs, notices). */
  engineEvent(event: EngineEvent): void
  /** A line for people; a `{"type":"message"}` event in JSON mode. */
  info(text: string): void
  /** A command's result: `human` on a terminal, `{type, ...payload}` in JSON mode. */
  result(type: string, payload: Record<string, unknown>, human: string): void
  /** The last line of a transfer command. */
  summary(summary: Summary): void
  /** Stops redrawing; leaves the terminal clean. */
  close(): void
}
