/**
 * Records what a scan skipped: each ignored entry with the rule that matched (for the Skipped list
 * and `status --issues`), and the count the pair's tally adds to "skipped", leaving out files that
 * were uploaded anyway (they have a row of their own and count as on the board).
 */
import type { EngineCore } from './engine-core.ts'
import type { EntryKind } from './ignore-rules.ts'
import type { IgnoredRow } from './ignored-store.ts'
import type { Runtime } from './pair-runtime.ts'

/** One entry the walk skipped. */
export interface IgnoredEntry {
  readonly relPath: string
  readonly kind: EntryKind
}

/** Stores the scan's ignored entries with their rules; returns how many count as skipped. */
export function recordIgnored(
  core: EngineCore,
  rt: Runtime,
  entries: readonly IgnoredEntry[],
): number {
  const now = core.now()
  const rows: IgnoredRow[] = []
  for (const entry of entries) {
    const match = rt.rules.explain(entry.relPath, entry.kind)
    if (!match) continue
    rows.push({
      relPath: entry.relPath,
      isFolder: entry.kind === 'dir',
      reason: match.reason,
      pattern: match.pattern,
      where: match.where ?? null,
      updatedAt: now,
    })
  }
  core.ignored.replace(rt.row.id, rows)
  const files = rows.filter((row) => !row.isFolder).map((row) => row.relPath)
  const found = files.length === 0 ? [] : [...core.store.filesAt(rt.row.id, files).values()]
  return entries.length - found.filter((row) => row.deletedAt === null).length
}
