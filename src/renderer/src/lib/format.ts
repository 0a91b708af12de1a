/** Numbers as designers read them: sizes, speeds, time left, counts. Pure, so it is unit-tested. */

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** 1234567 → "1.2 MB" (decimal units, like Finder and Explorer's "size on disk" labels). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`
}

/** Bytes per second → "2.4 MB/s"; empty when idle. */
export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : ''
}

/** Seconds left → "4 s left", "3 min left", "1 h 5 min left"; empty when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return ''
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.round((seconds % 3600) / 60)
  return minutes > 0 ? `${hours} h ${minutes} min left` : `${hours} h left`
}

/**
 * A count with thousands grouped, as en-US writes it: 12345 → "12,345". Whole numbers only (counts
 * of files and jobs). Written out rather than `toLocaleString('en-US')`, whose first call sets up
 * the locale's number formats and holds up the first frame of the activity screen.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en-US')
  const digits = String(Math.abs(count)).replace(/\B(?=(\d{3})+$)/g, ',')
  return count < 0 ? `-${digits}` : digits
}

/** 1 → "1 file", 312 → "312 files"; thousands grouped. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}

/** The folder preview sentence: "312 files, 1.2 GB to upload, 14 ignored". */
export function previewSentence(preview: {
  readonly files: number
  readonly bytes: number
  readonly ignored: number
  readonly alreadyOnBoard?: number
}): string {
  const sentence = `${plural(preview.files, 'file')}, ${formatBytes(preview.bytes)} to upload, ${preview.ignored.toLocaleString('en-US')} ignored`
  const there = preview.alreadyOnBoard ?? 0
  return there > 0
    ? `${sentence}; ${there.toLocaleString('en-US')} already on the board (kept, not uploaded again)`
    : sentence
}

/** A timestamp as "just now", "5 min ago", "3 h ago", or a date. */
export function formatAgo(timestamp: number | null, now: number): string {
  if (timestamp === null) return 'never'
  const seconds = Math.max(0, (now - timestamp) / 1000)
  if (seconds < 45) return 'just now'
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`
  return new Date(timestamp).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })
}

/** The last segment of a path or URL, for titles. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[/\\]+$/, '')
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'))
  return index >= 0 ? trimmed.slice(index + 1) : trimmed
}
