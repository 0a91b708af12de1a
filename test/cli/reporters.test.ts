import { describe, expect, it } from 'vitest'
import { createJsonReporter } from '../../src/cli/output/json-reporter.ts'
import { createTtyReporter } from '../../src/cli/output/tty-reporter.ts'
import { RunTracker } from '../../src/cli/output/run-tracker.ts'
import type { JobSnapshot, JobState } from '../../src/shared/job-models.ts'

function job(id: string, state: JobState, bytesDone = 0): JobSnapshot {
  return {
    id,
    source: { kind: 'file', path: `/in/${id}.png`, size: 1000 },
    title: `${id}.png`,
    org: 'o',
    board: 'b',
    priority: 10,
    paused: false,
    state,
    bytesDone,
    bytesTotal: 1000,
    speed: 500,
    etaSeconds: 1,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
  }
}

describe('json reporter', () => {
  it('labels the first event of a job as added, later ones as changed, and throttles progress', () => {
    const lines: string[] = []
    const r = createJsonReporter((l) => lines.push(l))
    r.engineEvent({ type: 'job', job: job('a', { kind: 'queued' }) })
    r.engineEvent({ type: 'job', job: job('a', { kind: 'uploading', confirmedBytes: 0 }) })
    for (let i = 0; i < 50; i++)
      r.engineEvent({
        type: 'job-progress',
        job: job('a', { kind: 'uploading', confirmedBytes: i }, i),
      })
    r.summary(new RunTracker().summary())
    const parsed = lines.map((l) => JSON.parse(l) as { type: string })
    expect(parsed.map((p) => p.type)).toEqual([
      'job-added',
      'job-changed',
      'job-progress',
      'summary',
    ])
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true)
  })
})

describe('tty reporter', () => {
  it('draws bars for active files and a total, then a summary naming failures', () => {
    let out = ''
    const r = createTtyReporter(
      { write: (t: string) => (out += t), isTTY: true, columns: 100 },
      true,
    )
    r.engineEvent({ type: 'job', job: job('a', { kind: 'uploading', confirmedBytes: 500 }, 500) })
    r.engineEvent({
      type: 'totals',
      totals: {
        queued: 1,
        active: 1,
        done: 0,
        failed: 0,
        cancelled: 0,
        bytesDone: 500,
        bytesTotal: 2000,
        speed: 500,
        paused: false,
      },
    })
    r.info('hello')
    expect(out).toContain('a.png')
    expect(out).toMatch(/50% .*500 B\/s ETA 0:01/)
    expect(out).toContain('Total')
    r.engineEvent({
      type: 'job',
      job: job('a', { kind: 'failed', reason: 'boom', retryable: false }),
    })
    expect(out).toContain('✗ /in/a.png: boom')
    const tracker = new RunTracker()
    tracker.fail('/in/missing.png', 'no such file or directory')
    r.summary(tracker.summary())
    r.close()
    expect(out).toContain('0 uploaded, 0 skipped, 1 failed')
    expect(out).toContain('failed: /in/missing.png: no such file or directory')
  })

  it('moves the bar of a file with the bytes sent before storage confirms them', () => {
    let out = ''
    const r = createTtyReporter(
      { write: (t: string) => (out += t), isTTY: true, columns: 100 },
      true,
    )
    r.engineEvent({
      type: 'job',
      job: { ...job('s', { kind: 'uploading', confirmedBytes: 0 }, 0), sentBytes: 700 },
    })
    r.info('tick')
    expect(out).toMatch(/70% +700 B\/1.0 KB/)
    r.close()
  })

  it('prints plain lines without escape codes when not on a terminal', () => {
    let out = ''
    const r = createTtyReporter({ write: (t: string) => (out += t), isTTY: false })
    r.engineEvent({ type: 'job', job: job('a', { kind: 'uploading', confirmedBytes: 1 }, 1) })
    r.engineEvent({ type: 'job', job: job('a', { kind: 'done', assetToken: 'T' }, 1000) })
    r.close()
    expect(out).toBe('✓ /in/a.png\n')
  })
})

describe('run tracker', () => {
  it('counts skipped, uploaded, failed and pending jobs', () => {
    const t = new RunTracker()
    t.track(job('old', { kind: 'done', assetToken: 'x' }), true)
    t.track(job('new', { kind: 'queued' }), false)
    t.track(job('bad', { kind: 'queued' }), false)
    t.track(job('slow', { kind: 'queued' }), false)
    t.update(job('new', { kind: 'done', assetToken: 'y' }))
    t.update(job('bad', { kind: 'failed', reason: 'HTTP 422', retryable: false }))
    expect(t.settled()).toBe(false)
    expect(t.summary()).toEqual({
      type: 'summary',
      uploaded: 1,
      skipped: 1,
      failed: 1,
      failures: [{ path: '/in/bad.png', error: 'HTTP 422' }],
      pending: 1,
    })
  })
})

describe('terminal escapes from titles and messages', () => {
  it('strips control characters from everything the text reporter prints', () => {
    const out: string[] = []
    const r = createTtyReporter({ write: (t: string) => out.push(t) }, false)
    const evil = job('e', {
      kind: 'failed',
      reason: 'bad\u001b[2J\u001b]0;owned\u0007 answer',
      retryable: false,
    })
    const titled = {
      ...evil,
      source: { kind: 'file' as const, path: '/in/\u001b[31mred\u202e.png', size: 1 },
    }
    r.engineEvent({ type: 'job', job: titled })
    r.info('board "\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007"')
    r.result('x', {}, 'title\u0007\u009b31m')
    r.engineEvent({ type: 'notice', level: 'warning', message: 'note\r\u001b[1Afake line' })
    const text = out.join('')
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
    expect(text).toContain('red.png')
  })

  it("says once what a waiting job waits for (the engine's note), and why a file was not uploaded", () => {
    let out = ''
    const r = createTtyReporter({ write: (t: string) => (out += t), isTTY: false }, false)
    const waiting = {
      ...job('w', { kind: 'completing' }),
      note: "Playbook's answer was lost: checking the board for this file before completing it again",
    }
    r.engineEvent({ type: 'job', job: waiting })
    r.engineEvent({ type: 'job', job: { ...waiting, updatedAt: 5 } })
    expect(out.split('\n').filter((l) => l.startsWith('… /in/w.png: Playbook'))).toHaveLength(1)
    r.engineEvent({
      type: 'job',
      job: { ...job('k', { kind: 'done', assetToken: 'a1' }), note: 'Already on the board' },
    })
    expect(out).toContain('✓ /in/k.png (Already on the board)')
  })
})
