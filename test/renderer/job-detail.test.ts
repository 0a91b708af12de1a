import { describe, expect, it } from 'vitest'
import type { JobSnapshot, JobState } from '../../src/shared/job-models.ts'
import { jobDetail } from '../../src/renderer/src/lib/job-detail.ts'

const job = (state: JobState, over: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id: 'j1',
  source: { kind: 'file', path: '/tmp/a.png', size: 2048 },
  title: 'a.png',
  org: 'studio',
  board: 'b1',
  priority: 0,
  paused: false,
  state,
  bytesDone: 1024,
  bytesTotal: 2048,
  speed: 0,
  etaSeconds: null,
  attempts: 0,
  createdAt: 1,
  updatedAt: 1,
  ...over,
})

describe('activity row detail', () => {
  it('says what the engine says a job waits for', () => {
    const text = jobDetail(
      job(
        { kind: 'completing' },
        { note: "Playbook's answer was lost: checking the board before completing again" },
      ),
    )
    expect(text).toContain('1 KB of 2 KB')
    expect(text).toContain("Playbook's answer was lost: checking the board")
  })

  it('says when a finished file was already on the board', () => {
    expect(
      jobDetail(job({ kind: 'done', assetToken: 't' }, { note: 'Already on the board' })),
    ).toMatch(/ · Already on the board$/)
  })

  it('keeps failures and cancellations in plain words', () => {
    expect(jobDetail(job({ kind: 'cancelled' }))).toBe('You cancelled this upload.')
    expect(jobDetail(job({ kind: 'done', assetToken: 't' }))).not.toContain('·')
  })
})
