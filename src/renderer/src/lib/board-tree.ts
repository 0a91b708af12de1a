/** Boards arrive flat with parent ids; the UI shows a searchable tree. Pure, so it is unit-tested. */
import type { Board } from '../../../shared/account-models.ts'

/** A board with its children, in title order. */
export interface BoardNode {
  readonly board: Board
  readonly children: readonly BoardNode[]
}

/** One visible row of the tree: a board and how deep it sits. */
export interface BoardRow {
  readonly board: Board
  readonly level: number
  readonly hasChildren: boolean
}

const byTitle = (a: BoardNode, b: BoardNode) =>
  a.board.title.localeCompare(b.board.title, undefined, { sensitivity: 'base' })

/** Builds the forest; boards whose parent is unknown become roots, so nothing is lost. */
export function buildBoardTree(boards: readonly Board[]): readonly BoardNode[] {
  const ids = new Set(boards.map((b) => String(b.id)))
  const children = new Map<string, Board[]>()
  const roots: Board[] = []
  for (const board of boards) {
    const parent = board.parentId === null ? null : String(board.parentId)
    if (parent === null || !ids.has(parent) || parent === String(board.id)) roots.push(board)
    else children.set(parent, [...(children.get(parent) ?? []), board])
  }
  const seen = new Set<string>()
  const build = (board: Board): BoardNode => {
    seen.add(String(board.id))
    const kids = (children.get(String(board.id)) ?? []).filter((b) => !seen.has(String(b.id)))
    return { board, children: kids.map(build).sort(byTitle) }
  }
  return roots.map(build).sort(byTitle)
}

/**
 * The rows to show for `query`: every board whose title matches, with its ancestors (so the match
 * keeps its place) and, when its ancestor matched, its descendants.
 */
export function visibleBoardRows(tree: readonly BoardNode[], query: string): readonly BoardRow[] {
  const needle = query.trim().toLocaleLowerCase()
  const rows: BoardRow[] = []
  const matches = (node: BoardNode): boolean =>
    node.board.title.toLocaleLowerCase().includes(needle) || node.children.some(matches)
  const walk = (nodes: readonly BoardNode[], level: number, ancestorMatched: boolean) => {
    for (const node of nodes) {
      const self = needle === '' || node.board.title.toLocaleLowerCase().includes(needle)
      if (!(ancestorMatched || self || matches(node))) continue
      rows.push({ board: node.board, level, hasChildren: node.children.length > 0 })
      walk(node.children, level + 1, ancestorMatched || self)
    }
  }
  walk(tree, 0, needle === '')
  return rows
}
