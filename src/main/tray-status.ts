/**
 * What the tray says: its icon state, tooltip and status line, from the session and the queue
 * totals. Pure, so it is unit-tested without Electron.
 */
import type { SessionState } from '../shared/account-models.ts'
import type { QueueTotals } from '../shared/job-models.ts'
import type { TrayState } from './tray-icons.ts'

/** The tray's face. */
export interface TrayStatus {
  readonly state: TrayState
  readonly line: string
  readonly tooltip: string
  /** 0..1 for the taskbar/dock progress, or null when nothing is moving. */
  readonly progress: number | null
}

/** Derives the tray's face. */
export function trayStatus(session: SessionState, totals: QueueTotals): TrayStatus {
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
  if (totals.paused) {
    const line = working > 0 ? `Paused · ${working.toLocaleString('en-US')} waiting` : 'Paused'
    return {
      state: 'paused',
      line,
      tooltip: `Playbook Sync: ${line}`,
      progress: working > 0 ? fraction : null,
    }
  }
  if (working > 0) {
    const percent = fraction === null ? '' : ` · ${Math.floor(fraction * 100)} %`
    const line = `Syncing ${working.toLocaleString('en-US')} ${working === 1 ? 'file' : 'files'}${percent}`
    return { state: 'syncing', line, tooltip: `Playbook Sync: ${line}`, progress: fraction }
  }
  if (totals.failed > 0) {
    const line = `${totals.failed.toLocaleString('en-US')} failed`
    return { state: 'error', line, tooltip: `Playbook Sync: ${line}`, progress: null }
  }
  return { state: 'idle', line: 'Up to date', tooltip: 'Playbook Sync: up to date', progress: null }
}
