/**
 * The folder tree as a board tree: each sub-folder with where its files land (a board that is
 * there, a new board, or skipped) and a choice per branch: a new child board (the default), an
 * existing board, the board above (flattened), or skip. Used by the add-folder preview; the
 * engine lays the tree out (`PairPreview.tree`), this only shows it and edits the mapping.
 */
import type { Board } from '../../../../shared/account-models.ts'
import type { BoardMapping, BranchTarget, PreviewBranch } from '../../../../shared/pair-models.ts'
import { flatMapping, treeMapping } from '../../../../shared/pair-models.ts'

/** The value of a branch's choice in its select. */
function valueOf(target: BranchTarget): string {
  return target.kind === 'board' ? `board:${target.board}` : target.kind
}

/** The rule a select value stands for. */
function targetOf(value: string, boards: readonly Board[]): BranchTarget {
  if (value.startsWith('board:')) {
    const token = value.slice('board:'.length)
    const title = boards.find((b) => b.token === token)?.title
    return { kind: 'board', board: token, ...(title === undefined ? {} : { boardTitle: title }) }
  }
  if (value === 'parent' || value === 'skip') return { kind: value }
  return { kind: 'child' }
}

function Lands({ lands }: { readonly lands: PreviewBranch['lands'] }) {
  switch (lands.kind) {
    case 'skip':
      return <span className="lands lands-skip">not synced</span>
    case 'new':
      return (
        <span className="lands lands-new">
          → {lands.title} <span className="tag-new">new board</span>
        </span>
      )
    case 'existing':
      return <span className="lands">→ {lands.title}</span>
  }
}

/** The tree with a choice per sub-folder; `onChange` gets the whole new mapping. */
export function BoardMapEditor({
  tree,
  mapping,
  boards,
  onChange,
}: {
  readonly tree: readonly PreviewBranch[]
  readonly mapping: BoardMapping
  readonly boards: readonly Board[]
  readonly onChange: (mapping: BoardMapping) => void
}) {
  const set = (path: string, value: string) =>
    onChange({ ...mapping, branches: { ...mapping.branches, [path]: targetOf(value, boards) } })
  const top = tree.find((b) => b.path === '')
  const folders = tree.filter((b) => b.path !== '')
  if (folders.length === 0) return null
  return (
    <div className="board-map">
      <p className="small muted">
        Each sub-folder goes to a board of its own inside the board above it, made when first needed
        (a board with that name already there is used). Change where a folder goes:
      </p>
      <ul className="board-map-tree" aria-label="Where each folder goes">
        {top && (
          <li className="board-map-row" data-path="">
            <span className="folder-name">This folder</span>
            <span className="small muted">{top.files} files</span>
            <Lands lands={top.lands} />
          </li>
        )}
        {folders.map((branch) => (
          <li
            key={branch.path}
            className="board-map-row"
            data-path={branch.path}
            data-lands={branch.lands.kind}
            style={{ paddingInlineStart: `${branch.depth * 1.25}rem` }}
          >
            <span className="folder-name">{branch.name}/</span>
            <span className="small muted">{branch.files} files</span>
            <Lands lands={branch.lands} />
            <select
              aria-label={`Where ${branch.path} goes`}
              value={valueOf(branch.target)}
              onChange={(e) => set(branch.path, e.currentTarget.value)}
            >
              <option value="child">A board of its own (new or same name)</option>
              <option value="parent">The board above (flatten)</option>
              <option value="skip">Skip (do not sync)</option>
              <optgroup label="An existing board">
                {boards.map((b) => (
                  <option key={b.token} value={`board:${b.token}`}>
                    {`${'· '.repeat(b.depth)}${b.title}`}
                  </option>
                ))}
              </optgroup>
            </select>
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The switch between a tree of boards and one flat board, the same in the add-folder preview and
 * in a folder's "Where sub-folders go".
 */
export function SubfoldersToggle({
  mapping,
  onChange,
}: {
  readonly mapping: BoardMapping
  readonly onChange: (mapping: BoardMapping) => void
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={mapping.subfolders === 'child'}
        onChange={(e) => onChange(e.currentTarget.checked ? treeMapping : flatMapping)}
      />{' '}
      Sub-folders become boards inside this board
    </label>
  )
}
