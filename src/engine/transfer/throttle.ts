/**
 * A bandwidth cap shared by every transfer: one token bucket, bytes as tokens. Callers take what
 * they are about to send; when the bucket is in debt they wait their turn until it refills. The
 * rate can change while transfers run (`setRate`; 0 = no cap): waiters look again at once, so a
 * new cap applies to running uploads within one piece.
 */
import { realSleep } from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'

/** The shared cap. */
export interface Throttle {
  /** The current rate; 0 means no cap. */
  readonly bytesPerSecond: number
  /** Waits until `bytes` may be sent. */
  take(bytes: number, signal?: AbortSignal): Promise<void>
  /**
   * Changes the cap in place for every transfer sharing it, waiters included, so a new limit
   * slows (or frees) uploads already running; 0 removes the cap. A negative rate is refused.
   */
  setRate(bytesPerSecond: number): void
}

/** Options for tests: a clock and a sleep. */
export interface ThrottleOptions {
  readonly now?: () => number
  readonly sleep?: Sleep
}

/** Creates a bucket refilling at `bytesPerSecond`, holding at most one second's worth. */
export function createThrottle(bytesPerSecond: number, options: ThrottleOptions = {}): Throttle {
  if (!(bytesPerSecond > 0))
    throw new Error(`bandwidth limit must be a positive number of bytes/s, got ${bytesPerSecond}`)
  return createLiveThrottle(bytesPerSecond, options)
}

/** Creates a throttle whose rate may be 0 (no cap) now and change later: the queue's one. */
export function createLiveThrottle(
  bytesPerSecond: number,
  options: ThrottleOptions = {},
): Throttle {
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? realSleep
  let rate = 0
  let tokens = 0
  /** Bytes taken so far: a taker's ticket is this total after its own take. */
  let owed = 0
  let last = now()
  /** Aborted (and replaced) when the rate changes, so waiters recompute their wait. */
  let changed = new AbortController()
  const refill = (): void => {
    const t = now()
    if (rate > 0) tokens = Math.min(rate, tokens + ((t - last) / 1000) * rate)
    last = t
  }
  const setRate = (next: number): void => {
    if (!Number.isFinite(next) || next < 0)
      throw new Error(`bandwidth limit must be 0 (no cap) or more bytes/s, got ${next}`)
    const value = next
    if (value === rate) return
    refill()
    // From no cap to a cap: a full second's burst; a lower cap keeps any debt.
    tokens = rate === 0 ? value : Math.min(tokens, value)
    rate = value
    const previous = changed
    changed = new AbortController()
    previous.abort()
  }
  setRate(bytesPerSecond)
  return {
    get bytesPerSecond() {
      return rate
    },
    setRate,
    async take(bytes, signal) {
      if (rate <= 0) return
      refill()
      tokens -= bytes
      owed += bytes
      const ticket = owed
      for (;;) {
        const paid = owed + tokens
        if (rate <= 0 || paid >= ticket) return
        const wake = changed.signal
        try {
          const both = signal === undefined ? wake : AbortSignal.any([signal, wake])
          await sleep(((ticket - paid) / rate) * 1000, both)
        } catch (e) {
          if (!wake.aborted || signal?.aborted === true) throw e
        }
        // Slept its full turn: the bucket has paid it. Woken by a new rate: look again.
        if (!wake.aborted) return
        refill()
      }
    },
  }
}

/** Slices a buffer into 64 KiB pieces, each sent only when the throttle allows. */
export async function* throttled(
  buffer: Uint8Array,
  throttle: Throttle,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const piece = 64 * 1024
  for (let i = 0; i < buffer.length; i += piece) {
    if (throttle.bytesPerSecond <= 0) {
      // No cap (now): the rest goes in one piece.
      yield buffer.subarray(i)
      return
    }
    const part = buffer.subarray(i, Math.min(buffer.length, i + piece))
    await throttle.take(part.length, signal)
    yield part
  }
}
