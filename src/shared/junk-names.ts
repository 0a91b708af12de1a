/**
 * File names that are operating-system or app litter (`.DS_Store`, `Thumbs.db`, lock and partial
 * files): skipped when dropped, as the sync engine's ignore rules skip them in folders. A plain
 * name check, so the renderer can skip them before streaming anything.
 */

const exact = new Set([
  '.ds_store',
  'thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  '.localized',
  '.lsoverride',
])
const prefixes = ['._', '~$', '.~lock.']
const suffixes = ['.icloud', '.tmp', '.crdownload', '.part', '.partial', '.download']

/** True for a file name that is never uploaded (case-insensitive). */
export function isJunkFileName(name: string): boolean {
  const lower = name.toLowerCase()
  if (exact.has(lower)) return true
  if (prefixes.some((p) => lower.startsWith(p))) return true
  return suffixes.some((s) => lower.endsWith(s))
}
