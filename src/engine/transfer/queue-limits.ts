/**
 * The queue's live limits: what `setLimits` accepts (refused out of range in words, never
 * clamped) and the starting number of files at once.
 */
import { maxConcurrency } from './types.ts'
import type { QueueLimits } from './types.ts'

/**
 * Refuses limits out of range in words (never clamped): files at once 1..16, a cap of 0 (none)
 * or more bytes per second.
 */
export function checkLimits(limits: QueueLimits): void {
  const { concurrency, bwlimit } = limits
  if (
    concurrency !== undefined &&
    (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > maxConcurrency)
  )
    throw new RangeError(
      `Files at once must be a whole number from 1 to ${maxConcurrency} (got ${concurrency})`,
    )
  if (bwlimit !== undefined && (!Number.isFinite(bwlimit) || bwlimit < 0))
    throw new RangeError(
      `The bandwidth cap must be 0 (no cap) or a positive number of bytes per second (got ${bwlimit})`,
    )
}

/** Files at once from the options: at least 1 (the settings refuse more than 16 in words). */
export function clampConcurrency(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.floor(n)) : 4
}
