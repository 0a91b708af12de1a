/**
 * The visible rule for copies: with content dedupe on, files with the same bytes share one asset,
 * and every file but the first (by path) says which file it shares it with ("Same content as
 * a/one.jpg"), so a copy never looks like nothing happened. Without dedupe (the default) a copy
 * is an asset of its own and needs no words.
 */
import type { PairFileState } from '../../shared/pair-models.ts'

/** Words for a file whose bytes another file of the pair already put on the board. */
export function sameContentReason(firstPath: string): string {
  return `Same content as ${firstPath}: shares its asset on the board`
}

/** Adds the "same content as" reason to synced files that share a job with an earlier path. */
export function markSameContent(states: readonly PairFileState[]): PairFileState[] {
  const firstOfJob = new Map<string, string>()
  for (const file of states) {
    if (file.state !== 'synced' || file.jobId === null) continue
    const first = firstOfJob.get(file.jobId)
    if (first === undefined || file.relPath < first) firstOfJob.set(file.jobId, file.relPath)
  }
  return states.map((file) => {
    if (file.state !== 'synced' || file.jobId === null || file.reason !== null) return file
    const first = firstOfJob.get(file.jobId)
    return first === undefined || first === file.relPath
      ? file
      : { ...file, reason: sameContentReason(first) }
  })
}
