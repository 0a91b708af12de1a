/**
 * Finds what an unanswered completion created, using only documented asset fields (title,
 * media_type, size, created_at, token). The rule, and why it cannot duplicate, is written in
 * ARCHITECTURE.md ("Exactly once when an answer is lost"):
 *  - a candidate is an asset on the job's board whose title equals the job's title (Unicode NFC),
 *    whose media_type and size agree when the record carries them, that was created at or after
 *    the job's window start (first attempt, server clock, minus a skew margin), and that no other
 *    job of this home has claimed (done jobs keep their asset token);
 *  - each asset is claimed by at most one job; candidates created after the attempt itself are
 *    preferred (oldest first), then those inside the margin (newest first);
 *  - the batcher never has two completions with the same title on one board unresolved at once,
 *    so a candidate can only belong to one waiting job.
 */
import type { AssetRecord } from '../playbook/schemas.ts'

/** What the matcher needs of a job that may already have its asset. */
export interface WaitingJob {
  readonly id: string
  readonly title: string
  readonly mediaType: string | null
  /** Bytes, or null when unknown (URL jobs). */
  readonly size: number | null
  /** Server-clock ms: assets created before this are not this job's. */
  readonly windowStart: number
  /** Server-clock ms of the first attempt (candidates at or after it are preferred). */
  readonly attemptAt: number
}

/** A title as compared: NFC, so a file named in NFD on macOS matches the record. */
export function titleKey(title: string): string {
  return title.normalize('NFC')
}

/** created_at as epoch ms (ISO text or a number of seconds/ms); undefined when unreadable. */
export function createdAtMs(asset: AssetRecord): number | undefined {
  const raw = asset.created_at
  if (typeof raw === 'number') return raw < 1e12 ? raw * 1000 : raw
  if (typeof raw !== 'string' || raw === '') return undefined
  const ms = Date.parse(raw)
  return Number.isNaN(ms) ? undefined : ms
}

/** True when the record could be the asset this job's completion made (time window aside). */
export function sameFile(
  asset: AssetRecord,
  job: Pick<WaitingJob, 'title' | 'mediaType' | 'size'>,
): boolean {
  if (typeof asset.title !== 'string' || titleKey(asset.title) !== titleKey(job.title)) return false
  if (asset.is_link === true) return false
  if (job.size !== null && typeof asset.size === 'number' && asset.size !== job.size) return false
  if (
    job.mediaType !== null &&
    typeof asset.media_type === 'string' &&
    asset.media_type !== '' &&
    asset.media_type.toLowerCase() !== job.mediaType.toLowerCase()
  )
    return false
  return true
}

/**
 * Assigns assets to waiting jobs. Returns job id → asset for the jobs that have one; jobs not in
 * the map have no asset yet. `claimed` holds asset tokens this home already gave to other jobs.
 */
export function matchCreated(
  jobs: readonly WaitingJob[],
  assets: readonly AssetRecord[],
  claimed: ReadonlySet<string>,
): Map<string, AssetRecord> {
  const taken = new Set(claimed)
  const out = new Map<string, AssetRecord>()
  // Oldest attempt first: it had the earliest chance to create an asset.
  const ordered = [...jobs].sort((a, b) => a.attemptAt - b.attemptAt)
  for (const job of ordered) {
    const candidates = assets
      .filter((a) => !taken.has(a.token) && sameFile(a, job))
      .map((a) => ({ a, at: createdAtMs(a) }))
      .filter((c) => c.at === undefined || c.at >= job.windowStart)
    if (candidates.length === 0) continue
    const rank = (at: number | undefined): number =>
      at === undefined ? 2 : at >= job.attemptAt ? 0 : 1
    candidates.sort((x, y) => {
      const rx = rank(x.at)
      const ry = rank(y.at)
      if (rx !== ry) return rx - ry
      if (rx === 0) return (x.at ?? 0) - (y.at ?? 0)
      return (y.at ?? 0) - (x.at ?? 0)
    })
    const best = candidates[0]?.a
    if (best === undefined) continue
    taken.add(best.token)
    out.set(job.id, best)
  }
  return out
}
