/**
 * A bandwidth cap shared by every transfer: one token bucket, bytes as tokens. Callers take what
 * they are about to send; when the bucket is in debt they wait until it refills.
 */
import { realSleep } from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'

/** The shared cap. */
export interface Throttle {
  /** The cap now; 0 means none (sends are not held back). */
  readonly bytesPerSecond: number
  /** Waits until `bytes` may be sent. */
  take(bytes: number, signal?: AbortSignal): Promise<void>
  /**
   * Changes the cap in place for every transfer sharing it, so a new limit slows (or frees)
   * uploads already running; 0 removes the cap. A negative or non-number rate is refused.
   */
  setRate(bytesPerSecond: number): void
}

/** Creates a bucket refilling at `bytesPerSecond`, holding at most one second's worth. */
export function createThrottle(
  bytesPerSecond: number,
  options: { readonly now?: () => number; readonly sleep?: Sleep } = {},
): Throttle {
  if (!(bytesPerSecond > 0))
    throw new Error(`bandwidth limit must be a positive number of bytes/s, got ${bytesPerSecond}`)
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? realSleep
  let rate = bytesPerSecond
  let tokens = rate
  let last = now()
  return {
    get bytesPerSecond() {
      return rate
    },
    async take(bytes, signal) {
      if (rate === 0) return
      const t = now()
      tokens = Math.min(rate, tokens + ((t - last) / 1000) * rate)
      last = t
      tokens -= bytes
      // Each wait is for one 64 KiB piece, so a changed rate holds from the next piece on.
      if (tokens < 0) await sleep((-tokens / rate) * 1000, signal)
    },
    setRate(next) {
      if (!Number.isFinite(next) || next < 0)
        throw new Error(`bandwidth limit must be 0 (no cap) or more bytes/s, got ${next}`)
      const t = now()
      if (rate > 0) tokens = Math.min(rate, tokens + ((t - last) / 1000) * rate)
      last = t
      rate = next
      // Lowering the cap drops the credit saved up at the old rate (at most one second's worth).
      if (rate > 0) tokens = Math.min(tokens, rate)
      else tokens = 0
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
    const part = buffer.subarray(i, Math.min(buffer.length, i + piece))
    await throttle.take(part.length, signal)
    yield part
  }
}
