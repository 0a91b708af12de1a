/**
 * Versions land in the order their files were saved. Two saves of one file can both be uploaded
 * and waiting to be added as versions (the first one's request is slow, or backing off after an
 * error); whichever is added last becomes the asset's current version, so a later save added
 * first would leave the board showing the older bytes. Among the jobs completing as versions of
 * one asset, only the one queued first may go; the others wait (the complete stage says so on
 * the job, `versionNotes.earlierSave`) and go in turn.
 */
import type { JobRow } from './job-store.ts'
import type { JobTargets } from './job-targets.ts'

/**
 * The ids of the `completing` jobs that must wait: version jobs with an earlier-queued version job
 * of the same asset still completing, or still uploading (not paused: a paused upload would hold
 * the later save for as long as the user leaves it). Jobs that fell back to a new asset are not
 * versions. Order is the order jobs were queued in (`createdAt`); a failed save is cancelled once
 * a later save of its file is recorded, so a save back to its bytes is a new, later job.
 */
export function heldForEarlierSaves(
  completing: readonly JobRow[],
  uploading: readonly JobRow[],
  targets: JobTargets,
): ReadonlySet<string> {
  const firstByAsset = new Map<string, JobRow>()
  const assetOf = (row: JobRow): string | undefined => {
    const target = targets.get(row.dedupeKey)
    return target === undefined || target.fallback !== null ? undefined : target.assetToken
  }
  const consider = (row: JobRow, asset: string): void => {
    const first = firstByAsset.get(asset)
    if (first === undefined || queuedBefore(row, first)) firstByAsset.set(asset, row)
  }
  const versions: { readonly row: JobRow; readonly asset: string }[] = []
  for (const row of completing) {
    const asset = assetOf(row)
    if (asset === undefined) continue
    versions.push({ row, asset })
    consider(row, asset)
  }
  if (versions.length === 0) return new Set()
  for (const row of uploading) {
    const asset = row.paused ? undefined : assetOf(row)
    if (asset !== undefined && firstByAsset.has(asset)) consider(row, asset)
  }
  const held = new Set<string>()
  for (const { row, asset } of versions) if (firstByAsset.get(asset) !== row) held.add(row.id)
  return held
}

function queuedBefore(a: JobRow, b: JobRow): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id)
}
