/**
 * The board map where it meets the pairs: a folder inside a synced folder becomes a branch rule of
 * that pair (not a second pair uploading the same files), a changed mapping brings back the files
 * a skip had set aside, and a file in a flattened-by-fallback folder carries its note.
 */
import { isAbsolute, relative, sep } from 'node:path'
import type { BoardMapping, BranchTarget } from '../../shared/pair-models.ts'
import type { BoardMap } from './board-map.ts'
import { fallbackNote, folderOf } from './board-map.ts'
import type { PairRow, SyncStore } from './sync-store.ts'

/** What adding a folder inside a synced folder does instead of making a second pair. */
export interface BranchInstead {
  readonly pairId: string
  /** The folder's path inside the outer pair ('/'-separated). */
  readonly branch: string
  readonly target: BranchTarget
  /** Says what happened, in words. */
  readonly message: string
}

/**
 * When `folder` is inside a pair's folder (same organization), the answer is a branch rule on
 * that pair: the folder's files go to the chosen board (or stay on the pair's own board when that
 * is the one chosen). Otherwise undefined (a folder around a pair is still refused by the caller).
 */
export function addOrMapBranch(
  pairs: readonly PairRow[],
  folder: string,
  input: { readonly org: string; readonly board: string; readonly boardTitle?: string },
): BranchInstead | undefined {
  for (const pair of pairs) {
    const rel = relative(pair.folder, folder)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || pair.org !== input.org) continue
    const branch = rel.split(sep).join('/')
    const target: BranchTarget =
      input.board === pair.board
        ? { kind: 'parent' }
        : {
            kind: 'board',
            board: input.board,
            ...(input.boardTitle === undefined ? {} : { boardTitle: input.boardTitle }),
          }
    const to = input.boardTitle ?? input.board
    return {
      pairId: pair.id,
      branch,
      target,
      message: `${folder} is inside ${pair.folder}, which is already synced with "${pair.boardTitle ?? pair.board}": its files now go to "${to}" as a branch of that folder (one synced folder, nothing uploaded twice)`,
    }
  }
  return undefined
}

/**
 * Stores a new mapping. Files a skipped branch had set aside (skipped, never read) are marked gone
 * so the next scan looks at them afresh under the new rules; files already on Playbook stay where
 * they are.
 */
export function applyMapping(
  store: SyncStore,
  boardMap: BoardMap,
  pairId: string,
  mapping: BoardMapping,
  now: number,
): void {
  boardMap.setMapping(pairId, mapping)
  store.atomically(() => {
    for (const row of store.liveFiles(pairId)) {
      if (row.state !== 'skipped' || row.jobId !== null || row.assetToken !== null) continue
      if (boardMap.skipReason(pairId, row.relPath) !== undefined) continue
      if (row.reason?.startsWith('In the folder "') !== true) continue
      store.putFile({ ...row, deletedAt: now, updatedAt: now })
    }
  })
}

/** The fallback note of a file whose folder (or one above it) was flattened because Playbook cannot make boards. */
export function noteOfFolder(
  boardMap: BoardMap,
  pairId: string,
  relPath: string,
): string | undefined {
  const fallbacks = boardMap.folderBoards(pairId).filter((row) => row.state === 'fallback')
  if (fallbacks.length === 0) return undefined
  const folder = folderOf(relPath)
  const hit = fallbacks.find((row) => folder === row.folder || folder.startsWith(`${row.folder}/`))
  return hit === undefined ? undefined : fallbackNote(hit.folder)
}
