/**
 * Where a listed file belongs: its pair's id, folder and board. Sync issues and skipped files
 * both carry these, taken from the pair the same way, so the app and the CLI group them alike.
 */
import type { PairRow } from '../sync/sync-store.ts'

/** The pair fields every issue and skipped file starts with. */
export function pairPlaceOf(pair: PairRow): {
  readonly pairId: string
  readonly folder: string
  readonly board: string
  readonly boardTitle: string | null
} {
  return {
    pairId: pair.id,
    folder: pair.folder,
    board: pair.board,
    boardTitle: pair.boardTitle,
  }
}
