import { describe, expect, it } from 'vitest'
import type { QueueTotals } from '../../src/shared/job-models.ts'
import type { EngineEvent } from '../../src/engine/engine-types.ts'
import { createSyncNotifier } from '../../src/main/sync-notifier.ts'

const totals = (over: Partial<QueueTotals>): EngineEvent => ({
  type: 'totals',
  totals: {
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
  },
})

describe('sync notifications', () => {
  it('says when a sync finished and how it went, once', () => {
    const shown: string[] = []
    const on = createSyncNotifier(
      (t, b) => shown.push(`${t}: ${b}`),
      () => true,
    )
    on(totals({ done: 10 }))
    on(totals({ done: 10, queued: 3 }))
    on(totals({ done: 12, active: 1 }))
    on(totals({ done: 12, failed: 1 }))
    on(totals({ done: 12, failed: 1 }))
    expect(shown).toEqual(['Sync finished: 2 uploaded, 1 failed'])
  })

  it('limits failure notifications and asks to sign in again', () => {
    let now = 0
    const shown: string[] = []
    const on = createSyncNotifier(
      (t) => shown.push(t),
      () => true,
      () => now,
    )
    const failed = (title: string): EngineEvent => ({
      type: 'job',
      job: {
        id: title,
        source: { kind: 'file', path: title, size: 1 },
        title,
        org: 'o',
        board: 'b',
        priority: 0,
        paused: false,
        state: { kind: 'failed', reason: 'nope', retryable: true },
        bytesDone: 0,
        bytesTotal: 1,
        speed: 0,
        etaSeconds: null,
        attempts: 1,
        createdAt: 0,
        updatedAt: 0,
      },
    })
    on(failed('a.png'))
    on(failed('b.png'))
    now = 20_000
    on(failed('c.png'))
    on({ type: 'session', session: { kind: 'expired', apiUrl: 'x' } })
    expect(shown).toEqual(['Could not upload a.png', 'Could not upload c.png', 'Sign in again'])
  })

  it('stays quiet when notifications are off', () => {
    const shown: string[] = []
    const on = createSyncNotifier(
      (t) => shown.push(t),
      () => false,
    )
    on({ type: 'session', session: { kind: 'expired', apiUrl: 'x' } })
    expect(shown).toEqual([])
  })
})
