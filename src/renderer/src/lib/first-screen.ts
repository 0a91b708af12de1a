/**
 * When the first screen can be drawn with its data: the renderer draws once the host said who is
 * signed in and, for a signed-in user, sent the queue, so the activity list's first frame has its
 * rows (not "Starting…", then an empty list, then rows). Until then #root keeps what it holds:
 * index.html's "Starting…" outline, or the first screen drawn where the engine lives
 * (engine/first-screen.ts); a host that cannot be reached is drawn at once (the app says so).
 * Pure, so it is unit-tested.
 */
import type { SessionState } from '../../../shared/account-models.ts'
import type { QueueTotals } from '../../../shared/job-models.ts'

/** The parts of the renderer's state the first screen waits for. */
export interface FirstScreenFacts {
  readonly session: SessionState | null
  readonly loadError: string | null
  readonly connection: string
  readonly totals: QueueTotals | null
}

/** True when the state holds what the first screen shows, or the reason it cannot. */
export function firstScreenReady(state: FirstScreenFacts): boolean {
  if (state.loadError !== null || state.connection === 'closed') return true
  const session = state.session
  if (session === null) return false
  return !(session.kind === 'signed-in' && session.org) || state.totals !== null
}
