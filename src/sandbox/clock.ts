/**
 * The sandbox's clock: wall time plus an offset that tests move forward with
 * `POST /__sandbox/clock`, so signed URLs, upload sessions and magic links can expire on demand.
 */
export interface SandboxClock {
  /** Milliseconds since the epoch, as the sandbox sees it. */
  now(): number
  /** ISO 8601 timestamp of `now()`. */
  iso(): string
  /** How far the clock is ahead of wall time, in milliseconds. */
  offsetMs(): number
  /** Moves the clock forward (never back). */
  advance(seconds: number): void
}

/** Creates a clock starting `offsetMs` ahead of wall time; `onChange` persists the offset. */
export function createSandboxClock(
  offsetMs = 0,
  onChange?: (offsetMs: number) => void,
): SandboxClock {
  let offset = offsetMs
  return {
    now: () => Date.now() + offset,
    iso: () => new Date(Date.now() + offset).toISOString(),
    offsetMs: () => offset,
    advance(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0)
        throw new Error('advance_s must be a number >= 0')
      offset += seconds * 1000
      onChange?.(offset)
    },
  }
}
