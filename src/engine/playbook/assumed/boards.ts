/**
 * Board creation and update: Playbook's public tools name `create_board` / `update_board`, but
 * their REST shapes are not documented. The shapes used here are ASSUMED (docs/api-notes.md,
 * "Assumed routes"); this is the only module that calls them, so a wrong guess is fixed here.
 *
 *   POST  /v1/{org}/boards          {board: {title, parent_id?, description?}} → {data: board}
 *   PATCH /v1/{org}/boards/{token}  {board: {title?, parent_id?}}              → {data: board}
 *
 * A server without these routes is recognised (route-missing.ts) and remembered, and the caller
 * falls back (sub-folders flattened into the board above) and tells the user once.
 */
import type { PlaybookClient } from '../client.ts'
import { unwrap } from '../answers.ts'
import { PlaybookError } from '../errors.ts'
import { boardSchema } from '../schemas.ts'
import type { BoardRecord } from '../schemas.ts'
import { RouteMissingError, isRouteMissing } from './route-missing.ts'
import type { RouteMissingMemory } from './route-missing.ts'

/** The assumed route that creates a board (named in the user's message when it is missing). */
export const CREATE_BOARD_ROUTE = 'POST /v1/{org}/boards'
/** The assumed route that renames or moves a board. */
export const UPDATE_BOARD_ROUTE = 'PATCH /v1/{org}/boards/{token}'

/** What a new board is made with; `parentId` is the parent board's documented `id`. */
export interface NewBoard {
  readonly title: string
  readonly parentId: string | number | null
  readonly description?: string
}

/** A change to a board: a new title, a new parent (by `id`), or both. */
export interface BoardPatch {
  readonly title?: string
  readonly parentId?: string | number | null
}

/** The assumed board calls. */
export interface AssumedBoards {
  /**
   * Creates a board. Not repeated on its own (a repeat after a lost answer could make a second
   * board): the caller lists the parent's children first and after any failure.
   * @throws RouteMissingError when the server has no such route (now or earlier).
   */
  create(org: string, board: NewBoard, signal?: AbortSignal): Promise<BoardRecord>
  /**
   * Renames or re-parents a board. A 404 is read as "route missing" only when the board is still
   * listed (documented listing); otherwise it is a `not-found` PlaybookError.
   */
  update(org: string, token: string, patch: BoardPatch, signal?: AbortSignal): Promise<BoardRecord>
  /** True when creation is known to be missing on this server (no request needed). */
  creationMissing(): boolean
}

/** Builds the assumed board calls over the client's one door (`assumedCall`). */
export function createAssumedBoards(
  client: PlaybookClient,
  memory: RouteMissingMemory,
  /** Told the first time a route is found missing on a server: the one message to the user. */
  onRouteMissing?: (route: string) => void,
): AssumedBoards {
  const org = (slug: string): string => `/v1/${encodeURIComponent(slug)}`
  const missing = (route: string, cause: unknown): RouteMissingError => {
    if (memory.markMissing(client.baseUrl, route)) onRouteMissing?.(route)
    return new RouteMissingError(route, cause)
  }
  const parseBoard = (body: unknown, what: string): BoardRecord => {
    const r = boardSchema.safeParse(unwrap(body))
    if (!r.success)
      throw new PlaybookError('server', `unexpected ${what} answer from Playbook`, { status: 200 })
    return r.data
  }
  return {
    creationMissing: () => memory.isMissing(client.baseUrl, CREATE_BOARD_ROUTE),
    async create(slug, board, signal) {
      if (memory.isMissing(client.baseUrl, CREATE_BOARD_ROUTE))
        throw new RouteMissingError(CREATE_BOARD_ROUTE)
      try {
        const { body } = await client.assumedCall('POST', `${org(slug)}/boards`, {
          body: {
            board: {
              title: board.title,
              ...(board.parentId === null ? {} : { parent_id: board.parentId }),
              ...(board.description === undefined ? {} : { description: board.description }),
            },
          },
          retry: 'quota',
          ...(signal ? { signal } : {}),
        })
        return parseBoard(body, 'create board')
      } catch (error) {
        // The parent was just listed, so a 404 here is the route, not the parent.
        if (isRouteMissing(error)) throw missing(CREATE_BOARD_ROUTE, error)
        throw error
      }
    },
    async update(slug, token, patch, signal) {
      if (memory.isMissing(client.baseUrl, UPDATE_BOARD_ROUTE))
        throw new RouteMissingError(UPDATE_BOARD_ROUTE)
      try {
        const { body } = await client.assumedCall(
          'PATCH',
          `${org(slug)}/boards/${encodeURIComponent(token)}`,
          {
            body: {
              board: {
                ...(patch.title === undefined ? {} : { title: patch.title }),
                ...(patch.parentId === undefined ? {} : { parent_id: patch.parentId }),
              },
            },
            retry: 'all',
            ...(signal ? { signal } : {}),
          },
        )
        return parseBoard(body, 'update board')
      } catch (error) {
        if (isRouteMissing(error, { recordMayBeGone: true }))
          throw missing(UPDATE_BOARD_ROUTE, error)
        if (isRouteMissing(error)) {
          const listed = await client.allBoards(slug)
          const gone = !listed.some((b) => b.token === token)
          if (isRouteMissing(error, { recordMayBeGone: true, recordGone: gone }))
            throw missing(UPDATE_BOARD_ROUTE, error)
        }
        throw error
      }
    },
  }
}
