/**
 * The sync engine's read-only reports over its index: files that need the user (Sync issues),
 * files skipped on purpose with the reason (the Skipped list), and every known file's state.
 */
import type { PairFileState } from '../../shared/pair-models.ts'
import type { SkippedFile, SyncIssue } from '../../shared/sync-status-models.ts'
import { issueOf } from '../status/issues.ts'
import { skippedOf } from '../status/skipped.ts'
import type { BoardMap } from './board-map.ts'
import { noteOfFolder } from './board-map-pairs.ts'
import type { EngineCore } from './engine-core.ts'
import { fileStatesOf } from './file-states.ts'
import { sameContentOf } from './ignored-store.ts'
import type { Runtime } from './pair-runtime.ts'
import { markSameContent } from './same-content.ts'
import type { SyncStore } from './sync-store.ts'

/** Files that need the user (cannot be read, failed, cancelled) of these pairs, by folder and path. */
export function issuesOf(store: SyncStore, pairs: readonly Runtime[]): readonly SyncIssue[] {
  const out: SyncIssue[] = []
  for (const rt of pairs) {
    for (const row of store.issueFiles(rt.row.id)) {
      const issue = issueOf(rt.row, row)
      if (issue) out.push(issue)
    }
  }
  return out
}

/** Files of these pairs skipped on purpose (ignored by a rule, same content, skipped change). */
export function skippedFilesOf(
  core: EngineCore,
  pairs: readonly Runtime[],
): readonly SkippedFile[] {
  const { store, ignored, queue } = core
  const out: SkippedFile[] = []
  for (const rt of pairs) {
    const id = rt.row.id
    const entries = ignored.ignored(id)
    const files = entries.filter((e) => !e.isFolder).map((e) => e.relPath)
    const rows = files.length === 0 ? new Map() : store.filesAt(id, files)
    const shared = ignored.shared(id)
    const jobs = queue.jobsById([...new Set(shared.map((row) => row.jobId))])
    out.push(
      ...skippedOf(rt.row, {
        ignored: entries,
        sameContent: sameContentOf(shared, (jobId) => jobs.get(jobId)?.relPath),
        changed: ignored.skippedChanges(id),
        tracked: (relPath) => {
          const row = rows.get(relPath)
          return row !== undefined && row.deletedAt === null
        },
      }),
    )
  }
  return out
}

/** Every known file of a pair (deleted ones too) and the ones still settling. */
export function fileStatesOfPair(
  core: EngineCore,
  boardMap: BoardMap,
  rt: Runtime,
  now: number,
): readonly PairFileState[] {
  const pairId = rt.row.id
  const settling = [...(rt.settler?.paths() ?? []), ...rt.present.keys()]
  const states = markSameContent(fileStatesOf(core.store.files(pairId), settling, now))
  return states.map((file) => {
    const note = file.reason === null ? noteOfFolder(boardMap, pairId, file.relPath) : undefined
    return note === undefined ? file : { ...file, reason: note }
  })
}
