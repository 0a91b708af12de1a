/**
 * Files already on the board: before a file is uploaded, its target board is listed and a file
 * whose title (NFC) and size equal an asset's there, not claimed by another job of this home, is
 * recorded done with that asset instead of being uploaded again. This is what keeps a new home (a
 * reinstall, a second machine, a deleted state folder) from uploading a whole folder twice.
 * `force` on a job skips it; sync sets `force` for changed files (their old version is there).
 */
import type { AssetRecord } from '../playbook/schemas.ts'
import { titleKey } from './completion-match.ts'
import type { JobRow } from './job-store.ts'
import { moveIf } from './queue-context.ts'
import type { QueueContext } from './queue-context.ts'

/** How long a board listing is reused by later prepare rounds. */
const LISTING_TTL_MS = 30_000

/** The note a recognised job carries. */
export const ALREADY_ON_BOARD = 'Already on the board: recorded as synced, not uploaded again'

/** A file as the recognition sees it. */
export interface LocalFile {
  readonly title: string
  readonly size: number
}

/**
 * Pairs files with unclaimed assets of the same title and size (each asset once). Returns, per
 * file index, the asset it matches.
 */
export function recognise(
  files: readonly LocalFile[],
  assets: readonly AssetRecord[],
  claimed: ReadonlySet<string>,
): Map<number, AssetRecord> {
  const byKey = new Map<string, AssetRecord[]>()
  for (const a of assets) {
    if (claimed.has(a.token) || a.is_link === true || typeof a.size !== 'number') continue
    if (typeof a.title !== 'string') continue
    const key = `${titleKey(a.title)}\n${a.size}`
    const list = byKey.get(key)
    if (list === undefined) byKey.set(key, [a])
    else list.push(a)
  }
  const out = new Map<number, AssetRecord>()
  files.forEach((f, i) => {
    const asset = byKey.get(`${titleKey(f.title)}\n${f.size}`)?.shift()
    if (asset !== undefined) out.set(i, asset)
  })
  return out
}

/** A board's assets, listed at most every 30 s per queue. */
async function listing(
  ctx: QueueContext,
  org: string,
  board: string,
  signal?: AbortSignal,
): Promise<readonly AssetRecord[]> {
  const key = `${org}\n${board}`
  const cached = ctx.boardListings.get(key)
  if (cached !== undefined && ctx.now() - cached.at < LISTING_TTL_MS) return cached.assets
  const assets = await ctx.client.allBoardAssets(org, board, signal)
  ctx.boardListings.set(key, { at: ctx.now(), assets })
  return assets
}

/**
 * Records `preparing` jobs whose file the board already holds as done; returns the jobs that
 * still need an upload. Throws when a board cannot be listed (the caller backs off: uploading
 * without looking could make a second copy).
 */
export async function skipFilesOnBoard(
  ctx: QueueContext,
  jobs: readonly JobRow[],
  signal?: AbortSignal,
): Promise<readonly JobRow[]> {
  const checked = jobs.filter((j) => j.kind === 'file' && !j.force)
  if (checked.length === 0) return jobs
  const boards = new Map<string, JobRow[]>()
  for (const j of checked) {
    const list = boards.get(j.board)
    if (list === undefined) boards.set(j.board, [j])
    else list.push(j)
  }
  const recognised = new Set<string>()
  for (const [board, list] of boards) {
    const assets = await listing(ctx, list[0]?.org ?? '', board, signal)
    const found = recognise(list, assets, ctx.store.claimedAssets(board))
    ctx.store.atomically(() => {
      for (const [i, asset] of found) {
        const job = list[i] as JobRow
        if (
          moveIf(ctx, job.id, 'preparing', 'done', {
            assetToken: asset.token,
            note: ALREADY_ON_BOARD,
          })
        )
          recognised.add(job.id)
      }
    })
  }
  if (recognised.size > 0)
    ctx.log.info('files already on the board were not uploaded again', { count: recognised.size })
  return jobs.filter((j) => !recognised.has(j.id))
}
