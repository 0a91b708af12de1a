import { describe, expect, it } from 'vitest'
import type { QueueTotals } from '../../src/shared/job-models.ts'
import type { SessionState } from '../../src/shared/account-models.ts'
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

describe('tray status', () => {
  it('is idle and up to date with nothing to do', () => {
    expect(trayStatus(signedIn, totals({ done: 3 }))).toMatchObject({
      state: 'idle',
      line: 'Up to date',
      progress: null,
    })
  })

  it('shows syncing with a count and progress', () => {
    const status = trayStatus(
      signedIn,
      totals({ queued: 2, active: 1, bytesDone: 25, bytesTotal: 100 }),
    )
    expect(status).toMatchObject({
      state: 'syncing',
      line: 'Syncing 3 files · 25 %',
      progress: 0.25,
    })
    expect(status.tooltip).toContain('Syncing 3 files')
  })

  it('shows paused, errors, and the need to sign in again', () => {
    expect(trayStatus(signedIn, totals({ paused: true, queued: 4 })).line).toBe(
      'Paused · 4 waiting',
    )
    expect(trayStatus(signedIn, totals({ failed: 2 }))).toMatchObject({
      state: 'error',
      line: '2 failed',
    })
    expect(trayStatus({ kind: 'expired', apiUrl: 'x' }, totals({ queued: 5 }))).toMatchObject({
      state: 'error',
      line: 'Sign in again to keep syncing',
    })
    expect(trayStatus({ kind: 'signed-out' }, totals()).line).toBe('Not signed in')
  })
})
