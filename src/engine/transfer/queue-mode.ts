/**
 * The whole queue's mode as one discriminated union, a pure transition function over it, and the
 * one event each transition emits. Job states live in the store; this is what holds every job
 * back at once (paused by the user, offline until a time, signed out, stopped by a local problem).
 */
import type { QueueTotals } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import type { StepOutcome } from './queue-context.ts'
import type { QueueEvent, QueueWaitState } from './types.ts'

/** What the queue as a whole is doing. */
export type QueueMode =
  /** Not started yet, or stopped; `paused` is kept for the next start. */
  | { readonly kind: 'stopped'; readonly paused: boolean }
  | { readonly kind: 'running' }
  /** The user paused everything: uploads were stopped at a safe point. */
  | { readonly kind: 'paused' }
  /** Playbook or storage could not be reached: nothing runs before `until` (backoff doubles). */
  | {
      readonly kind: 'offline'
      readonly until: number
      readonly backoff: number
      readonly reason: string
    }
  /** Playbook refused the token: nothing runs until a resume (after signing in again). */
  | { readonly kind: 'signed-out'; readonly reason: string }
  /** The state cannot be written (full disk, damaged database): stopped for good; see local-trouble.ts. */
  | { readonly kind: 'halted'; readonly error: unknown }
  /** `stop()` waits for in-flight steps to reach a safe point. */
  | { readonly kind: 'stopping'; readonly paused: boolean }

/** What moves the mode. */
export type ModeInput =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  | { readonly type: 'stopped' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'outcome'; readonly outcome: StepOutcome }
  | { readonly type: 'halt'; readonly error: unknown }

/** The mode the queue starts in. */
export const initialMode: QueueMode = { kind: 'stopped', paused: false }

/** First and longest offline backoff. */
const FIRST_BACKOFF_MS = 1000
const MAX_BACKOFF_MS = 60_000

/**
 * The next mode; returns `mode` itself when the input changes nothing (no event then).
 * `now` and `random` place the next offline attempt (half the backoff plus jitter).
 */
export function nextMode(
  mode: QueueMode,
  input: ModeInput,
  now: number,
  random: () => number,
): QueueMode {
  switch (input.type) {
    case 'start':
      if (mode.kind !== 'stopped') return mode
      return mode.paused ? { kind: 'paused' } : { kind: 'running' }
    case 'stop':
      if (mode.kind === 'stopped' || mode.kind === 'stopping' || mode.kind === 'halted') return mode
      return { kind: 'stopping', paused: mode.kind === 'paused' }
    case 'stopped':
      return mode.kind === 'stopping' ? { kind: 'stopped', paused: mode.paused } : mode
    case 'pause':
      switch (mode.kind) {
        case 'running':
        case 'offline':
        case 'signed-out':
          return { kind: 'paused' }
        case 'stopped':
        case 'stopping':
          return mode.paused ? mode : { ...mode, paused: true }
        case 'paused':
        case 'halted':
          return mode
        default:
          return assertNever(mode, 'queue mode')
      }
    case 'resume':
      switch (mode.kind) {
        case 'paused':
        case 'signed-out':
          return { kind: 'running' }
        case 'offline':
          // Try now; the backoff is kept in case the link is still down.
          return { ...mode, until: now }
        case 'stopped':
        case 'stopping':
          return mode.paused ? { ...mode, paused: false } : mode
        case 'running':
        case 'halted':
          return mode
        default:
          return assertNever(mode, 'queue mode')
      }
    case 'outcome':
      return afterOutcome(mode, input.outcome, now, random)
    case 'halt':
      return mode.kind === 'halted' ? mode : { kind: 'halted', error: input.error }
    default:
      return assertNever(input, 'queue mode input')
  }
}

function afterOutcome(
  mode: QueueMode,
  outcome: StepOutcome,
  now: number,
  random: () => number,
): QueueMode {
  const live = mode.kind === 'running' || mode.kind === 'offline'
  switch (outcome.kind) {
    case 'ok':
      return mode.kind === 'offline' ? { kind: 'running' } : mode
    case 'auth':
      return live || mode.kind === 'paused' ? { kind: 'signed-out', reason: outcome.reason } : mode
    case 'offline': {
      if (!live) return mode
      const backoff =
        mode.kind === 'offline' ? Math.min(MAX_BACKOFF_MS, mode.backoff * 2) : FIRST_BACKOFF_MS
      const until = now + backoff / 2 + (random() * backoff) / 2
      return { kind: 'offline', until, backoff, reason: outcome.reason }
    }
    default:
      return assertNever(outcome, 'step outcome')
  }
}

/** The event a transition emits (one per transition), and what it is worth logging. */
export function modeEvent(
  from: QueueMode,
  to: QueueMode,
  totals: () => QueueTotals,
): {
  readonly event: QueueEvent
  readonly log?: { readonly level: 'warn' | 'error'; readonly message: string }
} {
  switch (to.kind) {
    case 'running':
      return from.kind === 'offline'
        ? { event: { type: 'online' } }
        : { event: { type: 'totals', totals: totals() } }
    case 'offline':
      return {
        event: { type: 'offline', reason: to.reason, until: to.until },
        ...(from.kind === 'offline'
          ? {}
          : { log: { level: 'warn', message: 'transfer queue offline, backing off' } }),
      }
    case 'signed-out':
      return {
        event: { type: 'auth-required', reason: to.reason },
        log: { level: 'warn', message: 'transfer queue paused: sign-in required' },
      }
    case 'halted':
      return {
        event: { type: 'halted', error: to.error },
        log: { level: 'error', message: 'transfer queue stopped by a local problem' },
      }
    case 'paused':
    case 'stopped':
    case 'stopping':
      return { event: { type: 'totals', totals: totals() } }
    default:
      return assertNever(to, 'queue mode')
  }
}

/** Whether steps may start at `t`; when not yet but later, `wakeAt` says when to look again. */
export function mayWork(
  mode: QueueMode,
  t: number,
): { readonly now: boolean; readonly wakeAt?: number } {
  switch (mode.kind) {
    case 'running':
      return { now: true }
    case 'offline':
      return t >= mode.until ? { now: true } : { now: false, wakeAt: mode.until }
    case 'stopped':
    case 'paused':
    case 'signed-out':
    case 'halted':
    case 'stopping':
      return { now: false }
    default:
      return assertNever(mode, 'queue mode')
  }
}

/** True when the user paused the whole queue (shown on every job and in the totals). */
export function isPaused(mode: QueueMode): boolean {
  switch (mode.kind) {
    case 'paused':
      return true
    case 'stopped':
    case 'stopping':
      return mode.paused
    case 'running':
    case 'offline':
    case 'signed-out':
    case 'halted':
      return false
    default:
      return assertNever(mode, 'queue mode')
  }
}

/** The public view of why the whole queue waits. */
export function waitStateOf(mode: QueueMode): QueueWaitState {
  return {
    offline: mode.kind === 'offline' ? { until: mode.until, reason: mode.reason } : null,
    signedOut: mode.kind === 'signed-out',
    paused: isPaused(mode),
  }
}
