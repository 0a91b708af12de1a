/**
 * The searchable, nested board list. Used on the boards screen and when choosing a pair's board;
 * arrow keys move between rows, Enter or Space chooses one.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { ChevronRight, LayoutGrid, Search } from 'lucide-react'
import type { Board } from '../../../../shared/account-models.ts'
import { buildBoardTree, visibleBoardRows } from '../../lib/board-tree.ts'
import { EmptyState, LoadingState } from '../../ui/states.tsx'

/** Props of `BoardTreeView`. */
export interface BoardTreeViewProps {
  readonly boards: readonly Board[] | null
  readonly selected: string | null
  readonly onSelect: (board: Board) => void
  /** Extra controls at the end of each row (e.g. "open in Playbook"). */
  readonly rowActions?: (board: Board) => ReactNode
  readonly label: string
}

/** A filter box over a tree of boards rendered as a listbox. */
export function BoardTreeView({
  boards,
  selected,
  onSelect,
  rowActions,
  label,
}: BoardTreeViewProps) {
  const [query, setQuery] = useState('')
  const tree = useMemo(() => buildBoardTree(boards ?? []), [boards])
  const rows = useMemo(() => visibleBoardRows(tree, query), [tree, query])
  const list = useRef<HTMLUListElement>(null)

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, index: number) => {
    const focusRow = (i: number) =>
      list.current?.querySelectorAll<HTMLElement>('[role="option"]')[i]?.focus()
    if (event.key === 'ArrowDown') focusRow(Math.min(rows.length - 1, index + 1))
    else if (event.key === 'ArrowUp') focusRow(Math.max(0, index - 1))
    else if (event.key === 'Home') focusRow(0)
    else if (event.key === 'End') focusRow(rows.length - 1)
    else if (event.key === 'Enter' || event.key === ' ') {
      const row = rows[index]
      if (row) onSelect(row.board)
    } else return
    event.preventDefault()
  }

  return (
    <div className="board-tree">
      <div className="search">
        <Search size={15} aria-hidden />
        <input
          type="search"
          aria-label={`Search ${label.toLowerCase()}`}
          placeholder="Search boards"
          value={query}
          maxLength={200}
          onChange={(e) => setQuery(e.currentTarget.value)}
        />
      </div>
      {boards === null && <LoadingState label="Loading boards…" />}
      {boards !== null && boards.length === 0 && (
        <EmptyState icon={<LayoutGrid size={22} />} title="No boards yet">
          Create a board in Playbook, then come back.
        </EmptyState>
      )}
      {boards !== null && boards.length > 0 && rows.length === 0 && (
        <p className="muted small pad">No board matches “{query}”.</p>
      )}
      {rows.length > 0 && (
        <ul className="tree" role="listbox" aria-label={label} ref={list}>
          {rows.map((row, index) => {
            const isSelected = row.board.token === selected
            return (
              <li
                key={row.board.token}
                role="option"
                aria-selected={isSelected}
                tabIndex={isSelected || (selected === null && index === 0) ? 0 : -1}
                className={`tree-row${isSelected ? ' selected' : ''}`}
                style={{
                  paddingInlineStart: `calc(var(--space-3) + ${row.level} * var(--space-5))`,
                }}
                onClick={() => onSelect(row.board)}
                onKeyDown={(e) => onKeyDown(e, index)}
              >
                {row.hasChildren ? (
                  <ChevronRight size={14} className="tree-caret" aria-hidden />
                ) : (
                  <span className="tree-caret" aria-hidden />
                )}
                <LayoutGrid size={15} aria-hidden className="tree-icon" />
                <span className="tree-title">{row.board.title}</span>
                {rowActions && (
                  <span className="tree-actions" onClick={(e) => e.stopPropagation()}>
                    {rowActions(row.board)}
                  </span>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
