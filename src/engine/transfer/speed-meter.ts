/** Per-job throughput over a sliding window, for progress bars, speed and ETA. */

/** Tracks (time, confirmed bytes) samples of one job. */
export interface SpeedMeter {
  record(bytes: number): void
  /** Bytes per second over the last window; 0 with fewer than two samples. */
  speed(): number
}

/** Creates a meter with a `windowMs` sliding window. */
export function createSpeedMeter(
  now: () => number = () => performance.now(),
  windowMs = 5000,
): SpeedMeter {
  const samples: { t: number; bytes: number }[] = []
  return {
    record(bytes) {
      const t = now()
      samples.push({ t, bytes })
      while (samples.length > 2 && (samples[0] as { t: number }).t < t - windowMs) samples.shift()
    },
    speed() {
      const first = samples[0]
      const last = samples[samples.length - 1]
      if (first === undefined || last === undefined || last.t <= first.t) return 0
      if (now() - last.t > windowMs) return 0
      return Math.max(0, ((last.bytes - first.bytes) / (last.t - first.t)) * 1000)
    },
  }
}
