/**
 * Board creation and update (ASSUMED shapes, docs/api-notes.md "Assumed routes"): Playbook's
 * tools name create_board / update_board but their REST shapes are not documented. The sandbox
 * serves the shapes the client assumes, and `/__sandbox/board-routes` can take them away (they
 * then answer as an unknown route does), so the client's fallback can be tested.
 *
 *   POST  /v1/:org/boards         {board: {title, parent_id?, description?}} → 201 {data: board}
 *   PATCH /v1/:org/boards/:token  {board: {title?, parent_id?}}              → 200 {data: board}
 */
import { boardJson } from './api-routes.ts'
import { HttpError, readJson, sendJson } from './http-util.ts'
import type { Board } from './model.ts'
import type { Route, RouteContext } from './router.ts'

/** Builds the board routes (and the admin switch that hides them). */
export function boardRoutes(): Route[] {
  let offered = true
  const unlessHidden =
    (handle: (ctx: RouteContext) => Promise<void>) =>
    async (ctx: RouteContext): Promise<void> => {
      if (!offered)
        throw new HttpError(404, `no route for ${ctx.req.method ?? ''} ${ctx.url.pathname}`)
      await handle(ctx)
    }
  return [
    { method: 'POST', pattern: '/v1/:org/boards', auth: 'write', handle: unlessHidden(create) },
    {
      method: 'PATCH',
      pattern: '/v1/:org/boards/:token',
      auth: 'write',
      handle: unlessHidden(update),
    },
    {
      method: 'GET',
      pattern: '/__sandbox/board-routes',
      auth: 'none',
      handle: async (ctx) => sendJson(ctx.res, 200, { data: { offered } }),
    },
    {
      method: 'POST',
      pattern: '/__sandbox/board-routes',
      auth: 'none',
      handle: async (ctx) => {
        const body = await readJson(ctx.req)
        if (typeof body.offered !== 'boolean')
          throw new HttpError(422, 'offered must be true or false')
        offered = body.offered
        sendJson(ctx.res, 200, { data: { offered } })
      },
    },
  ]
}

function fieldsOf(body: Record<string, unknown>): Record<string, unknown> {
  const inner = body.board
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
    throw new HttpError(422, 'board must be an object')
  return inner as Record<string, unknown>
}

function parentOf(ctx: RouteContext, raw: unknown): Board | null {
  if (raw === undefined || raw === null || raw === '') return null
  const parent = ctx.store.boardsOf(ctx.org?.slug ?? '').find((b) => String(b.id) === String(raw))
  if (!parent) throw new HttpError(422, `parent board not found: ${String(raw)}`)
  return parent
}

function titleOf(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new HttpError(422, 'title is required')
  if (raw.length > 255) throw new HttpError(422, 'title is too long (255 at most)')
  return raw
}

async function create(ctx: RouteContext): Promise<void> {
  const fields = fieldsOf(await readJson(ctx.req))
  const title = titleOf(fields.title)
  const parent = parentOf(ctx, fields.parent_id)
  const description = typeof fields.description === 'string' ? fields.description : ''
  const board = ctx.store.createBoard(ctx.org?.slug ?? '', title, parent ?? undefined, description)
  await ctx.store.commit()
  sendJson(ctx.res, 201, { data: boardJson(board) })
}

async function update(ctx: RouteContext): Promise<void> {
  const board = ctx.store.state.boards[ctx.params.token ?? '']
  if (!board || board.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `board not found: ${ctx.params.token ?? ''}`)
  const fields = fieldsOf(await readJson(ctx.req))
  if (fields.title !== undefined) board.title = titleOf(fields.title)
  if ('parent_id' in fields) {
    const parent = parentOf(ctx, fields.parent_id)
    for (
      let p = parent;
      p !== null;
      p = ctx.store.boardsOf(board.orgSlug).find((b) => b.id === p?.parent_id) ?? null
    ) {
      if (p.id === board.id) throw new HttpError(422, 'a board cannot go inside itself')
    }
    board.parent_id = parent ? parent.id : null
    reDepth(ctx, board, parent ? parent.tree_depth + 1 : 0)
  }
  board.updated_at = ctx.store.clock.iso()
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data: boardJson(board) })
}

function reDepth(ctx: RouteContext, board: Board, depth: number): void {
  board.tree_depth = depth
  for (const child of ctx.store.boardsOf(board.orgSlug).filter((b) => b.parent_id === board.id))
    reDepth(ctx, child, depth + 1)
}
