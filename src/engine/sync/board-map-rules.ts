/**
 * The board map's rules as pure functions: which rule holds for each folder along a path, and
 * the add-folder preview's tree (where each folder's files land; new boards marked). No I/O.
 */
import type { BoardMapping, BranchTarget, PreviewBranch } from '../../shared/pair-models.ts'

/** One folder on the way down to a file, with the rule that holds there. */
export interface MapStep {
  readonly folder: string
  readonly name: string
  readonly target: BranchTarget
  readonly explicit: boolean
}

/** The rules from the pair's folder down to `folder`, or the skipped folder that stops them. */
export type Along =
  | { readonly kind: 'steps'; readonly steps: readonly MapStep[] }
  | { readonly kind: 'skip'; readonly folder: string }

/**
 * Walks `folder` ('/'-separated, '' = the pair's folder) from the top: each folder takes its own
 * rule, else `parent` inside a flattened folder, else the mapping's `subfolders` default. A
 * skipped folder skips everything inside it.
 */
export function targetsAlong(mapping: BoardMapping, folder: string): Along {
  if (folder === '') return { kind: 'steps', steps: [] }
  const names = folder.split('/')
  const steps: MapStep[] = []
  let flattened = false
  for (let i = 0; i < names.length; i++) {
    const path = names.slice(0, i + 1).join('/')
    const own = mapping.branches[path]
    if (own?.kind === 'skip') return { kind: 'skip', folder: path }
    const target: BranchTarget =
      own ?? (flattened ? { kind: 'parent' } : { kind: mapping.subfolders })
    if (own !== undefined) flattened = own.kind === 'parent'
    steps.push({ folder: path, name: names[i] as string, target, explicit: own !== undefined })
  }
  return { kind: 'steps', steps }
}

/** A board as the preview needs it (documented listing fields). */
export interface ListedBoard {
  readonly id: string | number
  readonly token: string
  readonly title?: string | null
  readonly parent_id?: string | number | null
}

/**
 * The preview tree: every folder that holds files (and the folders above them), in path order,
 * with its file count and where its files land. A child board counts as existing when the board
 * above already has a child with that title (it will be reused), else it is marked new.
 */
export function previewTree(input: {
  readonly files: readonly { readonly relPath: string; readonly size: number }[]
  readonly mapping: BoardMapping
  readonly board: string
  readonly boardTitle?: string
  readonly boards: readonly ListedBoard[]
}): PreviewBranch[] {
  const { mapping, boards } = input
  const counts = new Map<string, { files: number; bytes: number }>([['', { files: 0, bytes: 0 }]])
  for (const file of input.files) {
    const i = file.relPath.lastIndexOf('/')
    const folder = i < 0 ? '' : file.relPath.slice(0, i)
    const names = folder === '' ? [] : folder.split('/')
    for (let n = 1; n <= names.length; n++) {
      const path = names.slice(0, n).join('/')
      if (!counts.has(path)) counts.set(path, { files: 0, bytes: 0 })
    }
    const c = counts.get(folder) as { files: number; bytes: number }
    c.files++
    c.bytes += file.size
  }
  const titleOf = (token: string): string =>
    boards.find((b) => b.token === token)?.title ??
    (token === input.board ? (input.boardTitle ?? token) : token)
  type Lands = PreviewBranch['lands']
  const landed = new Map<string, Lands>()
  landed.set('', {
    kind: 'existing',
    board: input.board,
    title: input.boardTitle ?? titleOf(input.board),
  })
  const out: PreviewBranch[] = []
  const paths = [...counts.keys()].sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  )
  for (const path of paths) {
    const c = counts.get(path) as { files: number; bytes: number }
    const name = path === '' ? '' : path.slice(path.lastIndexOf('/') + 1)
    const depth = path === '' ? 0 : path.split('/').length
    if (path === '') {
      out.push({
        path,
        name,
        depth,
        ...c,
        target: { kind: 'parent' },
        explicit: false,
        lands: landed.get('') as Lands,
      })
      continue
    }
    const along = targetsAlong(mapping, path)
    const parentPath = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''
    const above = landed.get(parentPath) ?? ({ kind: 'skip' } as Lands)
    let lands: Lands
    let target: BranchTarget
    let explicit = false
    if (along.kind === 'skip') {
      lands = { kind: 'skip' }
      target = { kind: 'skip' }
      explicit = along.folder === path
    } else {
      const step = along.steps[along.steps.length - 1] as MapStep
      target = step.target
      explicit = step.explicit
      lands = landsFor(target, above, name, boards, titleOf)
    }
    landed.set(path, lands)
    out.push({ path, name, depth, ...c, target, explicit, lands })
  }
  return out
}

function landsFor(
  target: BranchTarget,
  above: PreviewBranch['lands'],
  name: string,
  boards: readonly ListedBoard[],
  titleOf: (token: string) => string,
): PreviewBranch['lands'] {
  switch (target.kind) {
    case 'skip':
      return { kind: 'skip' }
    case 'parent':
      return above
    case 'board':
      return {
        kind: 'existing',
        board: target.board,
        title: target.boardTitle ?? titleOf(target.board),
      }
    case 'child': {
      if (above.kind !== 'existing')
        return above.kind === 'skip' ? above : { kind: 'new', title: name }
      const parent = boards.find((b) => b.token === above.board)
      const child =
        parent === undefined
          ? undefined
          : boards.find(
              (b) =>
                String(b.parent_id ?? '') === String(parent.id) &&
                (b.title ?? '').normalize('NFC') === name.normalize('NFC'),
            )
      return child
        ? { kind: 'existing', board: child.token, title: child.title ?? name }
        : { kind: 'new', title: name }
    }
  }
}
