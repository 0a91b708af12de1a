/**
 * The per-file view of a pair the UI and CLI list: every indexed file (deleted ones too) with its
 * state and asset, plus the paths still settling in memory, sorted by path.
 */
import type { PairFileState } from '../../shared/pair-models.ts'
import type { FileRow } from './sync-store.ts'

/** Merges the index rows with the paths still settling (which win over a `deleted` row). */
export function fileStatesOf(
  rows: readonly FileRow[],
  settlingPaths: Iterable<string>,
  now: number,
): PairFileState[] {
  const out: PairFileState[] = []
  const known = new Set<string>()
  for (const row of rows) {
    known.add(row.relPath)
    out.push({
      relPath: row.relPath,
      state: row.deletedAt === null ? row.state : 'deleted',
      size: Math.max(0, row.size),
      sha256: row.sha256,
      assetToken: row.assetToken,
      jobId: row.jobId,
      reason: row.reason,
      updatedAt: row.updatedAt,
    })
  }
  const settling = new Set(settlingPaths)
  for (const [index, entry] of out.entries()) {
    if (settling.has(entry.relPath) && entry.state === 'deleted')
      out[index] = { ...entry, state: 'settling' }
  }
  for (const relPath of settling) {
    if (known.has(relPath)) continue
    out.push({
      relPath,
      state: 'settling',
      size: 0,
      sha256: null,
      assetToken: null,
      jobId: null,
      reason: null,
      updatedAt: now,
    })
  }
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
}
