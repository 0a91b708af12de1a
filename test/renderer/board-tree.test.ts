import { describe, expect, it } from 'vitest'
import type { Board } from '../../src/shared/account-models.ts'
import { buildBoardTree, visibleBoardRows } from '../../src/renderer/src/lib/board-tree.ts'

const board = (id: number, title: string, parentId: number | null = null): Board => ({
  id,
  token: `b${id}`,
  title,
  parentId,
  depth: parentId === null ? 0 : 1,
})

const boards = [
  board(1, 'Spring Campaign'),
  board(2, 'Social Cutdowns', 1),
  board(3, 'Brand Assets'),
  board(4, 'Stories', 2),
  board(5, 'Orphan', 99),
]

describe('board tree', () => {
  it('nests boards under their parents in title order; unknown parents become roots', () => {
    const rows = visibleBoardRows(buildBoardTree(boards), '')
    expect(rows.map((r) => [r.board.title, r.level, r.hasChildren])).toEqual([
      ['Brand Assets', 0, false],
      ['Orphan', 0, false],
      ['Spring Campaign', 0, true],
      ['Social Cutdowns', 1, true],
      ['Stories', 2, false],
    ])
  })

  it('keeps the ancestors of a match so it keeps its place, and the children of a matching board', () => {
    const tree = buildBoardTree(boards)
    expect(visibleBoardRows(tree, 'stor').map((r) => r.board.title)).toEqual([
      'Spring Campaign',
      'Social Cutdowns',
      'Stories',
    ])
    expect(visibleBoardRows(tree, 'SOCIAL').map((r) => r.board.title)).toEqual([
      'Spring Campaign',
      'Social Cutdowns',
      'Stories',
    ])
    expect(visibleBoardRows(tree, 'brand').map((r) => r.board.title)).toEqual(['Brand Assets'])
    expect(visibleBoardRows(tree, 'nothing like it')).toEqual([])
  })

  it('survives a board that names itself as parent', () => {
    const rows = visibleBoardRows(buildBoardTree([board(7, 'Loop', 7)]), '')
    expect(rows.map((r) => r.board.title)).toEqual(['Loop'])
  })
})
