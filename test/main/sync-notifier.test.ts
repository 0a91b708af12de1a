import { describe, expect, it } from 'vitest'
import type { JobSnapshot, JobState, QueueTotals } from '../../src/shared/job-models.ts'
import type { EngineEvent } from '../../src/engine/engine-types.ts'
import { createSyncNotifier, type NotifierNames } from '../../src/main/sync-notifier.ts'

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

const job = (id: string, state: JobState, pairId?: string): EngineEvent => ({
  type: 'job',
  job: {
    id,
    source: { kind: 'file', path: id, size: 1 },
    title: id,
    org: 'o',
    board: 'spring',
    priority: 0,
    paused: false,
    state,
    bytesDone: 0,
    bytesTotal: 1,
    speed: 0,
    etaSeconds: null,
    attempts: 1,
    createdAt: 0,
    updatedAt: 0,
    ...(pairId ? { pairId } : {}),
  } satisfies JobSnapshot,
})

const names: NotifierNames = {
  pair: (id) => (id === 'p1' ? { folder: 'Renders', board: 'Spring Campaign' } : null),
  board: (token) => (token === 'spring' ? 'Spring Campaign' : token),
}
const done = { kind: 'done', assetToken: 'a' } as const
const failed = { kind: 'failed', reason: 'nope', retryable: true } as const

describe('sync notifications', () => {
  it('tells a busy spell as one digest per folder, never one per file', () => {
    const shown: string[] = []
    const on = createSyncNotifier(
      (t, b) => shown.push(`${t}: ${b}`),
      () => true,
      names,
    )
    on(totals({ queued: 24 }))
    for (let i = 0; i < 24; i++) {
      on(job(`j${i}`, { kind: 'uploading', confirmedBytes: 0 }, 'p1'))
      on(job(`j${i}`, done, 'p1'))
      on(job(`j${i}`, done, 'p1'))
    }
    on(job('drop', done))
    expect(shown).toEqual([])
    on(totals({ done: 25 }))
    on(totals({ done: 25 }))
    expect(shown).toEqual([
      '24 files from Renders synced: 24 files from Renders are on Spring Campaign',
      '1 file uploaded: 1 file is on Spring Campaign',
    ])
  })

  it('names failures in the digest with what to do next', () => {
    const shown: string[] = []
    const on = createSyncNotifier(
      (t, b) => shown.push(`${t}: ${b}`),
      () => true,
      names,
    )
    on(totals({ queued: 2 }))
    on(job('a', failed, 'p1'))
    on(job('b', failed, 'p1'))
    on(totals({ failed: 2 }))
    expect(shown).toEqual([
      '2 files could not be uploaded: From Renders. Choose Retry all in the tray, or see why in Sync issues.',
    ])
  })

  it('tells at once what needs a person: a stopped folder, errors (limited), an ended session', () => {
    let now = 0
    const shown: string[] = []
    const on = createSyncNotifier(
      (t) => shown.push(t),
      () => true,
      names,
      () => now,
    )
    const notice: EngineEvent = { type: 'notice', level: 'error', message: 'disk full' }
    on(notice)
    on(notice)
    now = 20_000
    on(notice)
    on({ type: 'session', session: { kind: 'expired', apiUrl: 'x' } })
    expect(shown).toEqual(['Playbook Sync', 'Playbook Sync', 'Sign in again'])
  })

  it('stays quiet when notifications are off', () => {
    const shown: string[] = []
    const on = createSyncNotifier(
      (t) => shown.push(t),
      () => false,
      names,
    )
    on({ type: 'session', session: { kind: 'expired', apiUrl: 'x' } })
    expect(shown).toEqual([])
  })
})
