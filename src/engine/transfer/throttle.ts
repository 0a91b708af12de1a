/**
 * A bandwidth cap shared by every transfer: one token bucket, bytes as tokens. Callers take what
 * they are about to send; when the bucket is in debt they wait until it refills.
 */
import { realSleep } from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'

/** The shared cap. */
export interface Throttle {
  readonly bytesPerSecond: number
  /** Waits until `bytes` may be sent. */
  take(bytes: number, signal?: AbortSignal): Promise<void>
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
  const capacity = bytesPerSecond
  let tokens = capacity
  let last = now()
  return {
    bytesPerSecond,
    async take(bytes, signal) {
      const t = now()
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * bytesPerSecond)
      last = t
      tokens -= bytes
      if (tokens < 0) await sleep((-tokens / bytesPerSecond) * 1000, signal)
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
