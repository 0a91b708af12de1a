/** Small statistics and unit helpers for benchmark results. */

/** The p-th percentile (0–100) of `values`, by linear interpolation; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  const lo = sorted[low] as number
  const hi = sorted[high] as number
  return lo + (hi - lo) * (rank - low)
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Bytes to MiB. */
export const MiB = 1024 * 1024

/** Bytes per second as "123.4 MB/s" (decimal MB, as network tools print). */
export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`
}
