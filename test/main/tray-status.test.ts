import { describe, expect, it } from 'vitest'
import type { QueueTotals } from '../../src/shared/job-models.ts'
import type { SessionState } from '../../src/shared/account-models.ts'
import type { SyncOverview } from '../../src/shared/sync-status-models.ts'
import { trayStatus } from '../../src/main/tray-status.ts'

const signedIn: SessionState = {
  kind: 'signed-in',
  apiUrl: 'http://127.0.0.1:1',
  org: { id: 1, slug: 's', name: 'S' },
  sandbox: true,
}
const totals = (over: Partial<QueueTotals> = {}): QueueTotals => ({
  queued: 0,
  active: 0,
  done: 0,
  failed: 0,
  cancelled: 0,
  bytesDone: 0,
  bytesTotal: 0,
  speed: 0,
  paused: false,
  ...over,
})
const overview = (kind: SyncOverview['kind'], headline: string): SyncOverview => ({
  kind,
  headline,
  tally: { onBoard: 0, sameContent: 0, uploading: 0, waiting: 0, skipped: 0, attention: 0 },
  issues: 0,
})

describe('tray status', () => {
  it('says what the rest of the app says (the engine overview), with its icon', () => {
    expect(trayStatus(signedIn, totals({ done: 3 }), overview('up-to-date', 'Up to date'))).toEqual(
      { state: 'idle', line: 'Up to date', tooltip: 'Playbook Sync: Up to date', progress: null },
    )
    const waiting = trayStatus(
      signedIn,
      totals({ queued: 2 }),
      overview('waiting', "Can't reach Playbook. Retrying in 20 s."),
    )
    expect(waiting).toMatchObject({
      state: 'syncing',
      line: "Can't reach Playbook. Retrying in 20 s.",
    })
    expect(
      trayStatus(signedIn, totals({ failed: 2 }), overview('attention', '2 files need attention')),
    ).toMatchObject({ state: 'error', line: '2 files need attention' })
    expect(
      trayStatus(signedIn, totals({ paused: true, queued: 4 }), overview('paused', 'Paused')),
    ).toMatchObject({ state: 'paused', line: 'Paused' })
  })

  it('shows progress while files move', () => {
    const status = trayStatus(
      signedIn,
      totals({ queued: 2, active: 1, bytesDone: 25, bytesTotal: 100 }),
      overview('syncing', 'Syncing 3 files'),
    )
    expect(status).toMatchObject({ state: 'syncing', line: 'Syncing 3 files', progress: 0.25 })
    expect(status.tooltip).toContain('Syncing 3 files')
  })

  it('asks to sign in again, or says it is not signed in', () => {
    const any = overview('signed-out', 'Signed out')
    expect(trayStatus({ kind: 'expired', apiUrl: 'x' }, totals({ queued: 5 }), any)).toMatchObject({
      state: 'error',
      line: 'Sign in again to keep syncing',
    })
    expect(trayStatus({ kind: 'signed-out' }, totals(), any).line).toBe('Not signed in')
  })
})
