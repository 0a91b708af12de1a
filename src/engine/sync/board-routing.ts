/**
 * Sends each planned upload to its folder's board (board-map.ts) before it is queued: a file in
 * a sub-folder goes to that folder's child board (made when first needed), a file in a skipped
 * branch is recorded skipped with the reason, and a file whose board cannot be made now waits as
 * a Sync issue that is tried again on the next scan. Nothing is lost, nothing silent.
 */
import { join } from 'node:path'
import type { UploadRequest } from '../transfer/types.ts'
import { lstatOrMissing } from './file-facts.ts'
import type { BoardForPath, BoardMap, MapPair } from './board-map.ts'
import { folderOf } from './board-map.ts'
import type { FileRow, SyncStore } from './sync-store.ts'

/** A planned upload as the worker builds it. */
export interface RoutedPlan {
  readonly request: UploadRequest
  readonly row: Omit<FileRow, 'jobId'>
}

/** What routing needs from the worker's context. */
export interface RoutingContext {
  readonly store: SyncStore
  readonly boardMap?: BoardMap
  readonly report?: (absPath: string, reason: string) => void
  readonly now: () => number
}

/**
 * The dedupe key of a file bound for a board other than the pair's own: the same bytes in two
 * folders mapped to two boards are two assets, one per board.
 */
export function boardScopedKey(key: string, board: string, pairBoard: string): string {
  return board === pairBoard ? key : `${key}@board:${board}`
}

/** Where each plan goes; plans not to queue (skipped, waiting for their board) are recorded here. */
export async function routeToBoards<T extends RoutedPlan>(
  ctx: RoutingContext,
  pair: MapPair,
  planned: readonly T[],
): Promise<T[]> {
  const map = ctx.boardMap
  if (map === undefined || planned.length === 0) return [...planned]
  const byFolder = new Map<
    string,
    BoardForPath | { readonly kind: 'error'; readonly reason: string }
  >()
  for (const item of planned) {
    const folder = folderOf(item.row.relPath)
    if (byFolder.has(folder)) continue
    try {
      byFolder.set(folder, await map.boardForPath(pair, item.row.relPath))
    } catch (error) {
      byFolder.set(folder, {
        kind: 'error',
        reason: error instanceof Error ? error.message : String(error),
      })
    }
  }
  const out: T[] = []
  const now = ctx.now()
  for (const item of planned) {
    const where = byFolder.get(folderOf(item.row.relPath))
    if (where === undefined) continue
    switch (where.kind) {
      case 'board':
        out.push(
          where.board === pair.board && where.note === undefined
            ? item
            : {
                ...item,
                request: {
                  ...item.request,
                  board: where.board,
                  dedupeKey: boardScopedKey(item.request.dedupeKey, where.board, pair.board),
                },
                row: { ...item.row, reason: where.note ?? item.row.reason },
              },
        )
        break
      case 'skip':
        ctx.store.putFile({
          ...item.row,
          jobId: null,
          state: 'skipped',
          reason: where.reason,
          updatedAt: now,
        })
        break
      case 'error': {
        const folder = folderOf(item.row.relPath)
        const reason = `Its board for the folder "${folder}" could not be made on Playbook yet (${where.reason}); it is tried again on the next scan`
        ctx.store.putFile({ ...item.row, jobId: null, state: 'failed', reason, updatedAt: now })
        const source = item.request.source
        ctx.report?.(source.kind === 'file' ? source.path : item.row.relPath, reason)
        break
      }
    }
  }
  return out
}

/**
 * A new or changed file in a skipped branch: recorded `skipped` with the reason, without reading
 * it. True when it was (the caller moves on); false when the file is not in a skipped branch.
 */
export function recordBranchSkip(
  ctx: RoutingContext,
  pairId: string,
  file: {
    readonly relPath: string
    readonly size: number
    readonly mtimeMs: number
    readonly ino: number
  },
  row: FileRow | undefined,
  now: number,
): boolean {
  const reason = ctx.boardMap?.skipReason(pairId, file.relPath)
  if (reason === undefined) return false
  const live = row !== undefined && row.deletedAt === null
  ctx.store.putFile({
    pairId,
    relPath: file.relPath,
    size: file.size,
    mtimeMs: file.mtimeMs,
    ino: file.ino,
    sha256: live ? row.sha256 : '',
    state: 'skipped',
    jobId: null,
    assetToken: live ? row.assetToken : null,
    reason,
    deletedAt: null,
    updatedAt: now,
  })
  return true
}

/**
 * A file moved from `from` to `to` (paths relative to the pair's folder). When that was its
 * folder being renamed or moved (the old folder is gone, the new one is there), the folder's
 * board follows: renamed to the new name, moved under the new parent's board. The outermost
 * renamed folder is found by stripping the path ends both share (`A/C/x` → `B/C/x`: `A` → `B`).
 */
export async function followFolder(
  ctx: RoutingContext,
  pair: MapPair & { readonly folder: string },
  from: string,
  to: string,
): Promise<void> {
  const map = ctx.boardMap
  if (map === undefined) return
  const a = folderOf(from).split('/').filter(Boolean)
  const b = folderOf(to).split('/').filter(Boolean)
  let shared = 0
  while (
    shared < a.length &&
    shared < b.length &&
    a[a.length - 1 - shared] === b[b.length - 1 - shared]
  )
    shared++
  for (let k = shared; k >= 0; k--) {
    const fromDir = a.slice(0, a.length - k).join('/')
    const toDir = b.slice(0, b.length - k).join('/')
    if (fromDir === '' || toDir === '' || fromDir === toDir) continue
    const known = map.folderBoards(pair.id).some((row) => row.folder === fromDir)
    if (!known) continue
    const gone = (await lstatOrMissing(join(pair.folder, ...fromDir.split('/')))) === undefined
    if (!gone) continue
    await map.folderMoved(pair, fromDir, toDir)
    return
  }
}
