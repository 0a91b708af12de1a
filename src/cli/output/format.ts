/** Small formatters for terminal output: sizes, speeds, durations and bars. */

/** 1536 → "1.5 KB" (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** 75 → "1:15", 3700 → "1:01:40"; null → "--:--". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/** A bar of `width` cells filled to `fraction`. */
export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
  const full = Math.round(f * width)
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`
}

/** Cuts `text` to `width` characters, keeping the end (file names matter more than folders). */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width)
  return `…${text.slice(text.length - width + 1)}`
}
