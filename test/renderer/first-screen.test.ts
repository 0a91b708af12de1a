import { describe, expect, it } from 'vitest'
import type { SessionState } from '../../src/shared/account-models.ts'
import type { QueueTotals } from '../../src/shared/job-models.ts'
import { firstScreenReady } from '../../src/renderer/src/lib/first-screen.ts'

const signedIn = {
  kind: 'signed-in',
  apiUrl: 'http://127.0.0.1:1',
  org: { id: '1', slug: 'studio', name: 'Studio' },
  sandbox: true,
} as unknown as SessionState
const noOrg = { ...signedIn, org: null } as unknown as SessionState
const signedOut = { kind: 'signed-out' } as unknown as SessionState
const totals = { queued: 0, active: 1, done: 0, failed: 0, cancelled: 0 } as unknown as QueueTotals
const base = { session: null, loadError: null, connection: 'open', totals: null } as const

describe('firstScreenReady', () => {
  it('waits for the session, and for a signed-in user for the queue', () => {
    expect(firstScreenReady(base)).toBe(false)
    expect(firstScreenReady({ ...base, session: signedIn })).toBe(false)
    expect(firstScreenReady({ ...base, session: signedIn, totals })).toBe(true)
  })

  it('draws at once what needs no queue: signed out, or no organization picked yet', () => {
    expect(firstScreenReady({ ...base, session: signedOut })).toBe(true)
    expect(firstScreenReady({ ...base, session: noOrg })).toBe(true)
  })

  it('draws at once when the host cannot be reached or the load failed (the app says so)', () => {
    expect(firstScreenReady({ ...base, connection: 'closed' })).toBe(true)
    expect(firstScreenReady({ ...base, loadError: 'no answer' })).toBe(true)
    expect(firstScreenReady({ ...base, connection: 'connecting' })).toBe(false)
  })
})
