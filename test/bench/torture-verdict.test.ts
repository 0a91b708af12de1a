/** The torture verdict on hand-made outcomes: it must catch each kind of failure it claims to. */
import { describe, expect, it } from 'vitest'
import { judgeTorture } from '../../bench/lib/torture-run.ts'

const clean = {
  totals: { queued: 0, active: 0, failed: 0 },
  failedJobs: [],
  notSynced: [],
}

describe('judgeTorture', () => {
  const disk = new Map([
    ['a.jpg', 'sha-a2'],
    ['b.jpg', 'sha-b'],
    ['empty-1.bin', 'sha-empty'],
    ['empty-2.bin', 'sha-empty'],
  ])
  const everWritten = new Set(['sha-a1', 'sha-a2', 'sha-b', 'sha-empty'])

  it('passes when every final content is there once per file (an earlier version allowed)', () => {
    const assets = ['sha-a1', 'sha-a2', 'sha-b', 'sha-empty', 'sha-empty'].map((sha256) => ({
      sha256,
    }))
    expect(judgeTorture({ disk, everWritten, assets, duplicates: 0, final: clean })).toEqual([])
  })

  it('catches a missing file, a duplicate, foreign bytes and a non-empty queue', () => {
    const assets = [
      'sha-a2',
      'sha-a2',
      'sha-a1',
      'sha-a1',
      'sha-zzz',
      'sha-empty',
      'sha-empty',
    ].map((sha256) => ({ sha256 }))
    const problems = judgeTorture({
      disk,
      everWritten,
      assets,
      duplicates: 1,
      final: {
        ...clean,
        totals: { queued: 2, active: 0, failed: 1 },
        notSynced: ['b.jpg: pending'],
      },
    })
    expect(problems).toEqual([
      'a.jpg: its content is on the board 2 times, not once',
      'b.jpg: its content is on the board 0 times, not once',
      'an earlier version is on the board 2 times',
      'an asset holds bytes no file ever had (sha-zzz…)',
      'the sandbox counted 1 duplicate completions',
      'the queue is not empty: 2 queued, 0 active',
      '1 jobs failed: ',
      'files not synced: b.jpg: pending',
    ])
  })
  it('counts one asset per file for a copy: two empty files need two assets', () => {
    const assets = ['sha-a2', 'sha-b', 'sha-empty'].map((sha256) => ({ sha256 }))
    expect(judgeTorture({ disk, everWritten, assets, duplicates: 0, final: clean })).toEqual([
      'empty-1.bin: its content is on the board 1 times, not 2 times (one per file that has it)',
      'empty-2.bin: its content is on the board 1 times, not 2 times (one per file that has it)',
    ])
  })
})
