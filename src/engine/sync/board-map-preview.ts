/**
 * The add-folder preview's board tree: the folder's sub-folders under the chosen mapping, with
 * the boards that exist (a same-title child is reused) and the ones that would be made.
 */
import type { BoardMapping, PreviewBranch } from '../../shared/pair-models.ts'
import { treeMapping } from '../../shared/pair-models.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import { previewTree } from './board-map-rules.ts'

/** Lists the org's boards (documented) and lays the folder's files out as a board tree. */
export async function previewBoardTree(
  client: PlaybookClient,
  org: string,
  board: string,
  files: readonly { readonly relPath: string; readonly size: number }[],
  mapping: BoardMapping = treeMapping,
): Promise<readonly PreviewBranch[]> {
  const boards = await client.allBoards(org)
  const title = boards.find((b) => b.token === board)?.title ?? undefined
  return previewTree({
    files,
    mapping,
    board,
    ...(title === undefined || title === null ? {} : { boardTitle: title }),
    boards,
  })
}
