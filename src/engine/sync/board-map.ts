/**
 * The board map: which board each file of a pair goes to. The pair's folder tree is mapped onto
 * a board tree (sub-folder → child board of its parent folder's board, made when first needed),
 * with the user's rules per branch (an existing board, flattened into the parent, skipped).
 *
 * Exactly once for boards: before a child board is created, the parent's children are listed
 * (documented fields: `parent_id`, `title`) and a same-title child is reused; an intent row is
 * written before the create and, after a crash or a lost answer, resolved by listing again. A
 * server without board creation (route missing) gets the branch flattened into the board above,
 * a note on each of its files and one message.
 */
import type { BoardMapping, BranchTarget, FolderBoard } from '../../shared/pair-models.ts'
import { flatMapping } from '../../shared/pair-models.ts'
import type { Logger } from '../engine-types.ts'
import type { BoardRecord } from '../playbook/schemas.ts'
import type { BoardPatch, NewBoard } from '../playbook/assumed/boards.ts'
import { isRouteMissingError } from '../playbook/assumed/route-missing.ts'
import type { BoardMapStore, FolderBoardRow } from './board-map-store.ts'
import { targetsAlong } from './board-map-rules.ts'
import type { Along } from './board-map-rules.ts'

/** The pair a path belongs to, as the board map needs it. */
export interface MapPair {
  readonly id: string
  readonly org: string
  /** The pair's own board: where its top folder's files go. */
  readonly board: string
}

/** Where a file goes: a board (with a note when it was flattened by a fallback), or nowhere. */
export type BoardForPath =
  | { readonly kind: 'board'; readonly board: string; readonly note?: string }
  | { readonly kind: 'skip'; readonly reason: string }

/** Playbook's boards as the board map reaches them (documented listing + the assumed room). */
export interface BoardDirectory {
  /** Every board of the org (documented: `depth=all`, all pages). */
  list(org: string): Promise<readonly BoardRecord[]>
  /** Assumed: creates a board; throws RouteMissingError when the server lacks the route. */
  create(org: string, board: NewBoard): Promise<BoardRecord>
  /** Assumed: renames or re-parents a board. */
  update(org: string, token: string, patch: BoardPatch): Promise<BoardRecord>
}

/** The board map's face. */
export interface BoardMap {
  /** The pair's mapping (flat for pairs made before sub-boards). */
  mapping(pairId: string): BoardMapping
  setMapping(pairId: string, mapping: BoardMapping): void
  /**
   * The board the file at `relPath` goes to, making child boards when first needed (exactly once,
   * see above). Throws when Playbook cannot be asked now (the file waits and is tried again).
   */
  boardForPath(pair: MapPair, relPath: string): Promise<BoardForPath>
  /** Why `relPath` is not synced (a skipped branch), without asking Playbook; else undefined. */
  skipReason(pairId: string, relPath: string): string | undefined
  /** The recorded folder → board rows of a pair. */
  folderBoards(pairId: string): readonly FolderBoard[]
  /**
   * A folder was renamed or moved inside the pair (its files moved with it): its board, when
   * this app made it for the folder, is renamed / re-parented to match, and its rows follow.
   */
  folderMoved(pair: MapPair, from: string, to: string): Promise<void>
  forgetPair(pairId: string): void
}

/** What the board map is built from. */
export interface BoardMapDeps {
  readonly store: BoardMapStore
  /** Absent (tests without a server): child boards cannot be made; branches are flattened. */
  readonly directory?: BoardDirectory
  readonly log: Logger
  readonly now: () => number
  /** How long a board listing is reused (default 5 s; updated at once by our own creates). */
  readonly listingTtlMs?: number
}

/** Unicode-normalised title comparison (NFC), as the completion rules compare titles. */
const sameTitle = (a: string | null | undefined, b: string): boolean =>
  (a ?? '').normalize('NFC') === b.normalize('NFC')

/** The folder part of a '/'-separated relative path ('' for a file at the top). */
export function folderOf(relPath: string): string {
  const i = relPath.lastIndexOf('/')
  return i < 0 ? '' : relPath.slice(0, i)
}

/** The note a file carries when its branch was flattened because Playbook cannot make boards. */
export function fallbackNote(folder: string): string {
  return `Put on the board above: Playbook could not create a board for the folder "${folder}"`
}

/** Builds the board map. */
export function createBoardMap(deps: BoardMapDeps): BoardMap {
  const { store, directory, log, now } = deps
  const ttl = deps.listingTtlMs ?? 5_000
  let listing: { org: string; at: number; boards: BoardRecord[] } | undefined
  /** Creations run one at a time, so two files of a new folder never make two boards. */
  let chain: Promise<unknown> = Promise.resolve()
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn)
    chain = next.catch(() => undefined)
    return next
  }

  const boardsOf = async (org: string, fresh = false): Promise<BoardRecord[]> => {
    if (!directory) return []
    if (!fresh && listing?.org === org && now() - listing.at < ttl) return listing.boards
    const boards = [...(await directory.list(org))]
    listing = { org, at: now(), boards }
    return boards
  }

  const mappingOf = (pairId: string): BoardMapping => store.mapping(pairId) ?? flatMapping

  /**
   * The rules along a file's folder. A scan asks for every file, folder by folder: the last
   * answer is kept while the mapping (the same object until it changes) and folder are the same.
   */
  let lastAlong: { mapping: BoardMapping; folder: string; along: Along } | undefined
  const alongOf = (pairId: string, relPath: string): Along => {
    const mapping = mappingOf(pairId)
    const folder = folderOf(relPath)
    if (lastAlong?.mapping !== mapping || lastAlong.folder !== folder) {
      lastAlong = { mapping, folder, along: targetsAlong(mapping, folder) }
    }
    return lastAlong.along
  }

  const record = (pair: MapPair, row: Omit<FolderBoardRow, 'pairId' | 'updatedAt'>): void =>
    store.putFolder({ ...row, pairId: pair.id, updatedAt: now() })

  /** The child board titled `title` under `parentBoard` for `folder`: found, made, or fallen back. */
  const ensureChild = (
    pair: MapPair,
    folder: string,
    title: string,
    parentBoard: string,
  ): Promise<{ board: string; note?: string }> =>
    serially(async () => {
      const row = store.folder(pair.id, folder)
      if (row && row.board !== null && row.parentBoard === parentBoard) {
        if (row.state === 'made' || row.state === 'found') return { board: row.board }
      }
      const fallBack = (): { board: string; note: string } => {
        record(pair, { folder, title, parentBoard, board: parentBoard, state: 'fallback' })
        return { board: parentBoard, note: fallbackNote(folder) }
      }
      // No server to ask (an engine built without one): everything stays on the board above.
      if (!directory) return { board: parentBoard }
      const findChild = async (fresh: boolean): Promise<BoardRecord | undefined> => {
        const boards = await boardsOf(pair.org, fresh)
        const parent = boards.find((b) => b.token === parentBoard)
        if (!parent) throw new Error(`the board above "${folder}" is not on Playbook any more`)
        return boards
          .filter(
            (b) => String(b.parent_id ?? '') === String(parent.id) && sameTitle(b.title, title),
          )
          .sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')))[0]
      }
      // A crash (or a lost answer) after an intent may have made the board: the listing says.
      const intent = row?.state === 'intent'
      const found = await findChild(intent)
      if (found) {
        record(pair, {
          folder,
          title,
          parentBoard,
          board: found.token,
          state: intent ? 'made' : 'found',
        })
        if (intent) log.info('board creation resolved by listing', { pairId: pair.id, folder })
        return { board: found.token }
      }
      const parent = (await boardsOf(pair.org)).find((b) => b.token === parentBoard)
      record(pair, { folder, title, parentBoard, board: null, state: 'intent' })
      try {
        const made = await directory.create(pair.org, {
          title,
          parentId: parent?.id ?? null,
        })
        listing?.boards.push(made)
        record(pair, { folder, title, parentBoard, board: made.token, state: 'made' })
        log.info('board made for folder', { pairId: pair.id, folder, board: made.token })
        return { board: made.token }
      } catch (error) {
        if (isRouteMissingError(error)) return fallBack()
        // The answer may be lost while the board was made: look before anything is repeated.
        const after = await findChild(true).catch(() => undefined)
        if (after) {
          record(pair, { folder, title, parentBoard, board: after.token, state: 'made' })
          return { board: after.token }
        }
        throw error
      }
    })

  const self: BoardMap = {
    mapping: mappingOf,
    setMapping(pairId, mapping) {
      store.setMapping(pairId, mapping, now())
    },
    skipReason(pairId, relPath) {
      const along = alongOf(pairId, relPath)
      return along.kind === 'skip'
        ? `In the folder "${along.folder}", which this pair does not sync`
        : undefined
    },
    async boardForPath(pair, relPath) {
      const along = alongOf(pair.id, relPath)
      if (along.kind === 'skip')
        return {
          kind: 'skip',
          reason: `In the folder "${along.folder}", which this pair does not sync`,
        }
      let board = pair.board
      let note: string | undefined
      for (const step of along.steps) {
        const target: BranchTarget = step.target
        switch (target.kind) {
          case 'parent':
            break
          case 'board':
            board = target.board
            break
          case 'child': {
            const child = await ensureChild(pair, step.folder, step.name, board)
            board = child.board
            note = child.note ?? note
            break
          }
          case 'skip':
            return {
              kind: 'skip',
              reason: `In the folder "${step.folder}", which this pair does not sync`,
            }
        }
      }
      return { kind: 'board', board, ...(note === undefined ? {} : { note }) }
    },
    folderBoards: (pairId) =>
      store
        .folders(pairId)
        .map(({ folder, title, board, state }) => ({ folder, title, board, state })),
    async folderMoved(pair, from, to) {
      const row = store.folder(pair.id, from)
      if (row === undefined || store.folder(pair.id, to) !== undefined) return
      store.moveFolder(pair.id, from, to, now())
      const rules = mappingOf(pair.id)
      const moved: Record<string, BranchTarget> = {}
      for (const [path, rule] of Object.entries(rules.branches)) {
        const inside = path === from || path.startsWith(`${from}/`)
        moved[inside ? to + path.slice(from.length) : path] = rule
      }
      store.setMapping(pair.id, { ...rules, branches: moved }, now())
      // Only a board this app made or reused for the folder follows it; a picked board stays.
      if (row.board === null || (row.state !== 'made' && row.state !== 'found') || !directory)
        return
      const title = to.slice(to.lastIndexOf('/') + 1)
      const patch: { title?: string; parentId?: string | number | null } = {}
      if (!sameTitle(row.title, title)) patch.title = title
      const parentFolder = folderOf(to)
      if (parentFolder !== folderOf(from)) {
        const parentBoard = await self.boardForPath(
          pair,
          parentFolder === '' ? 'x' : `${parentFolder}/x`,
        )
        if (parentBoard.kind === 'board' && parentBoard.board !== row.parentBoard) {
          const boards = await boardsOf(pair.org, true)
          const parent = boards.find((b) => b.token === parentBoard.board)
          if (parent) patch.parentId = parent.id
          record(pair, {
            folder: to,
            title,
            parentBoard: parentBoard.board,
            board: row.board,
            state: row.state,
          })
        }
      }
      if (patch.title === undefined && patch.parentId === undefined) return
      try {
        await directory.update(pair.org, row.board, patch)
        const current = store.folder(pair.id, to)
        if (current) store.putFolder({ ...current, title, updatedAt: now() })
        listing = undefined
        log.info('board follows its folder', { pairId: pair.id, from, to })
      } catch (error) {
        log.warn('could not rename the board of a moved folder', {
          pairId: pair.id,
          from,
          to,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    },
    forgetPair: (pairId) => store.forgetPair(pairId),
  }
  return self
}
