/**
 * What the tray says: its icon state, tooltip and status line, from the session, the engine's one
 * overall status and the queue totals. Pure, so it is unit-tested without Electron.
 */
import type { SessionState } from '../shared/account-models.ts'
import type { QueueTotals } from '../shared/job-models.ts'
import type { SyncOverview } from '../shared/sync-status-models.ts'
import { assertNever } from '../shared/assert-never.ts'
import type { TrayState } from './tray-icons.ts'

/** The tray's face. */
export interface TrayStatus {
  readonly state: TrayState
  readonly line: string
  readonly tooltip: string
  /** 0..1 for the taskbar/dock progress, or null when nothing is moving. */
  readonly progress: number | null
}

/** The tray icon for each overall state. */
function iconFor(kind: SyncOverview['kind']): TrayState {
  switch (kind) {
    case 'no-folders':
    case 'up-to-date':
      return 'idle'
    case 'syncing':
    case 'waiting':
      return 'syncing'
    case 'paused':
      return 'paused'
    case 'attention':
    case 'signed-out':
      return 'error'
    default:
      return assertNever(kind, 'overall state')
  }
}

/**
 * Derives the tray's face. The words are the engine's overview headline, the same sentence the
 * sidebar, the folder cards and `playbook-sync status` show; the totals give the progress bar.
 */
export function trayStatus(
  session: SessionState,
  totals: QueueTotals,
  overview: SyncOverview,
): TrayStatus {
  if (session.kind === 'expired') {
    return {
      state: 'error',
      line: 'Sign in again to keep syncing',
      tooltip: 'Playbook Sync: sign in again',
      progress: null,
    }
  }
  if (session.kind !== 'signed-in') {
    return {
      state: 'idle',
      line: 'Not signed in',
      tooltip: 'Playbook Sync: not signed in',
      progress: null,
    }
  }
  const working = totals.queued + totals.active
  const fraction = totals.bytesTotal > 0 ? Math.min(1, totals.bytesDone / totals.bytesTotal) : null
  const line = overview.headline
  return {
    state: iconFor(overview.kind),
    line,
    tooltip: `Playbook Sync: ${line}`,
    progress: working > 0 ? fraction : null,
  }
}
