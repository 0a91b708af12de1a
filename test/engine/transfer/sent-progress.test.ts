import { describe, expect, it } from 'vitest'
import { sentReporter, withSentBytes } from '../../../src/engine/transfer/sent-progress.ts'
import type { JobSnapshot } from '../../../src/shared/job-models.ts'
import { startWorld } from './sandbox-helpers.ts'

function uploading(bytesDone: number, speed: number): JobSnapshot {
  return {
    id: 'j',
    source: { kind: 'file', path: '/in/a.bin', size: 1000 },
    title: 'a.bin',
    org: 'o',
    board: 'b',
    priority: 10,
    paused: false,
    state: { kind: 'uploading', confirmedBytes: bytesDone },
    bytesDone,
    bytesTotal: 1000,
    speed,
    etaSeconds: null,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
  }
}

describe('sent bytes on the job snapshot', () => {
  it('carries what was sent beside what storage confirmed, with the ETA from what is left to send', () => {
    const s = withSentBytes(uploading(0, 100), 600)
    expect(s.sentBytes).toBe(600)
    expect(s.bytesDone).toBe(0)
    expect(s.etaSeconds).toBe(4)
    // Never behind the confirmed bytes, never past the size; not shown for other states.
    expect(withSentBytes(uploading(800, 0), 300).sentBytes).toBe(800)
    expect(withSentBytes(uploading(0, 0), 5000).sentBytes).toBe(1000)
    expect(withSentBytes({ ...uploading(0, 0), state: { kind: 'completing' } }, 10).sentBytes).toBe(
      undefined,
    )
  })

  it('reports sent offsets at most every interval, always the last', () => {
    const seen: number[] = []
    let t = 0
    const report = sentReporter(
      (b) => seen.push(b),
      1000,
      100,
      () => t,
    )
    report(100)
    report(200)
    t = 150
    report(300)
    report(1000)
    expect(seen).toEqual([100, 300, 1000])
  })

  it('a streamed upload through the queue emits progress with sentBytes before it is confirmed', async () => {
    const world = await startWorld()
    try {
      const f = await world.file('progress.bin', 12 * 1024 * 1024)
      const { queue, events } = world.queue({ bwlimit: 24 * 1024 * 1024 })
      queue.enqueue([world.request(f, 'progress.bin')])
      queue.start()
      await queue.drained()
      const progress = events.flatMap((e) =>
        e.type === 'job-progress' && e.job.state.kind === 'uploading' ? [e.job] : [],
      )
      // Bytes went out (and were shown) while storage had confirmed none of them yet.
      expect(progress.some((j) => (j.sentBytes ?? 0) > 0 && j.bytesDone === 0 && j.speed > 0)).toBe(
        true,
      )
      const done = events.flatMap((e) => (e.type === 'job-changed' ? [e.job] : []))
      expect(done.at(-1)?.state.kind).toBe('done')
      expect(done.at(-1)?.sentBytes).toBeUndefined()
    } finally {
      await world.close()
    }
  })
})
