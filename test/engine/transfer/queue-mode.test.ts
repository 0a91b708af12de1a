/**
 * The queue's mode as one union: every transition from a pure function, and the one event each
 * transition emits (none when nothing changes).
 */
import { describe, expect, it } from 'vitest'
import type { QueueTotals } from '../../../src/shared/job-models.ts'
import {
  initialMode,
  isPaused,
  mayWork,
  modeEvent,
  nextMode,
  waitStateOf,
} from '../../../src/engine/transfer/queue-mode.ts'
import type { ModeInput, QueueMode } from '../../../src/engine/transfer/queue-mode.ts'

const totals = { queued: 0 } as unknown as QueueTotals
const half = (): number => 0.5

/** Applies inputs in order, collecting the event type of each real transition. */
function run(
  inputs: readonly ModeInput[],
  from: QueueMode = initialMode,
  at = 1000,
): { mode: QueueMode; events: string[] } {
  let mode = from
  const events: string[] = []
  for (const input of inputs) {
    const next = nextMode(mode, input, at, half)
    if (next !== mode) events.push(modeEvent(mode, next, () => totals).event.type)
    mode = next
  }
  return { mode, events }
}

const offline = (reason = 'reset'): ModeInput => ({
  type: 'outcome',
  outcome: { kind: 'offline', reason },
})
const auth: ModeInput = { type: 'outcome', outcome: { kind: 'auth', reason: '401' } }
const ok: ModeInput = { type: 'outcome', outcome: { kind: 'ok' } }

describe('queue mode', () => {
  it('starts stopped, runs on start, and keeps a pause asked for before the start', () => {
    expect(run([{ type: 'start' }]).mode).toEqual({ kind: 'running' })
    const paused = run([{ type: 'pause' }, { type: 'start' }])
    expect(paused.mode).toEqual({ kind: 'paused' })
    expect(paused.events).toEqual(['totals', 'totals'])
    expect(isPaused(run([{ type: 'pause' }]).mode)).toBe(true)
  })

  it('backs off while offline, doubling up to a minute, and says online again once', () => {
    const first = run([{ type: 'start' }, offline()])
    expect(first.mode).toMatchObject({ kind: 'offline', backoff: 1000, until: 1000 + 750 })
    expect(first.events).toEqual(['totals', 'offline'])
    let mode = first.mode
    for (let i = 0; i < 10; i++) mode = nextMode(mode, offline(), 1000, half)
    expect(mode).toMatchObject({ kind: 'offline', backoff: 60_000 })
    expect(mayWork(mode, 1000)).toEqual({ now: false, wakeAt: (mode as { until: number }).until })
    expect(waitStateOf(mode).offline?.reason).toBe('reset')
    const back = run([ok, ok], mode)
    expect(back.mode).toEqual({ kind: 'running' })
    expect(back.events).toEqual(['online'])
  })

  it('a resume while offline tries at once and keeps the backoff', () => {
    const { mode } = run([{ type: 'start' }, offline(), { type: 'resume' }], initialMode, 5000)
    expect(mode).toMatchObject({ kind: 'offline', until: 5000, backoff: 1000 })
    expect(mayWork(mode, 5000).now).toBe(true)
  })

  it('is signed out once on a refused token, until resumed', () => {
    const out = run([{ type: 'start' }, auth, auth, offline(), ok])
    expect(out.mode).toEqual({ kind: 'signed-out', reason: '401' })
    expect(out.events).toEqual(['totals', 'auth-required'])
    expect(mayWork(out.mode, 0).now).toBe(false)
    expect(waitStateOf(out.mode)).toEqual({ offline: null, signedOut: true, paused: false })
    expect(run([{ type: 'resume' }], out.mode).mode).toEqual({ kind: 'running' })
  })

  it('ignores offline answers while paused; a pause survives a stop and the next start', () => {
    const paused = run([{ type: 'start' }, { type: 'pause' }, offline()])
    expect(paused.mode).toEqual({ kind: 'paused' })
    const stopped = run([{ type: 'stop' }, { type: 'stopped' }, { type: 'start' }], paused.mode)
    expect(stopped.mode).toEqual({ kind: 'paused' })
    expect(stopped.events).toEqual(['totals', 'totals', 'totals'])
  })

  it('halts for good on a local problem: nothing moves it again', () => {
    const error = new Error('disk full')
    const halted = run([{ type: 'start' }, { type: 'halt', error }])
    expect(halted.events).toEqual(['totals', 'halted'])
    const after = run(
      [{ type: 'resume' }, { type: 'stop' }, { type: 'stopped' }, { type: 'start' }, ok],
      halted.mode,
    )
    expect(after.mode).toEqual({ kind: 'halted', error })
    expect(after.events).toEqual([])
  })

  it('a transition to the same mode emits nothing', () => {
    expect(run([{ type: 'start' }, { type: 'start' }, ok, { type: 'resume' }]).events).toEqual([
      'totals',
    ])
  })
})
