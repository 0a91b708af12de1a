/** Identity and read routes: organizations, boards (paged, `depth`, `query`), a board's assets, one asset. */
import { HttpError, sendJson } from './http-util.ts'
import type { Board } from './model.ts'
import { paginate, type Route, type RouteContext } from './router.ts'

/** Builds the read routes. */
export function apiRoutes(): Route[] {
  return [
    { method: 'GET', pattern: '/v1/organizations', auth: 'read', handle: organizations },
    { method: 'GET', pattern: '/v1/:org/boards', auth: 'read', handle: boards },
    { method: 'GET', pattern: '/v1/:org/boards/:token', auth: 'read', handle: board },
    { method: 'GET', pattern: '/v1/:org/boards/:token/assets', auth: 'read', handle: boardAssets },
    { method: 'GET', pattern: '/v1/:org/assets/:token', auth: 'read', handle: asset },
  ]
}

async function organizations(ctx: RouteContext): Promise<void> {
  const slugs = ctx.caller?.user.orgSlugs ?? []
  const orgs = ctx.store.state.orgs.filter((o) => slugs.includes(o.slug))
  sendJson(
    ctx.res,
    200,
    paginate(
      ctx.url,
      orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name })),
    ),
  )
}

/** A board as the documented board routes show it (the list, one board, create and update). */
export function boardJson(b: Board): Record<string, unknown> {
  return {
    id: b.id,
    token: b.token,
    title: b.title,
    description: b.description,
    parent_id: b.parent_id,
    tree_depth: b.tree_depth,
    created_at: b.created_at,
    updated_at: b.updated_at,
  }
}

async function boards(ctx: RouteContext): Promise<void> {
  const org = ctx.org?.slug ?? ''
  const depth = ctx.url.searchParams.get('depth')
  const query = (ctx.url.searchParams.get('query') ?? '').trim().toLowerCase()
  let list = ctx.store.boardsOf(org)
  if (depth !== 'all') {
    const max = depth !== null && /^\d+$/.test(depth) ? Number(depth) : 0
    list = list.filter((b) => b.tree_depth <= max)
  }
  if (query) list = list.filter((b) => b.title.toLowerCase().includes(query))
  sendJson(ctx.res, 200, paginate(ctx.url, list.map(boardJson)))
}

function findBoard(ctx: RouteContext): Board {
  const b = ctx.store.state.boards[ctx.params.token ?? '']
  if (!b || b.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `board not found: ${ctx.params.token ?? ''}`)
  return b
}

async function board(ctx: RouteContext): Promise<void> {
  sendJson(ctx.res, 200, { data: boardJson(findBoard(ctx)) })
}

async function boardAssets(ctx: RouteContext): Promise<void> {
  const b = findBoard(ctx)
  const list = ctx.store.assetsOf(b.orgSlug).filter((a) => a.collection_token === b.token)
  sendJson(
    ctx.res,
    200,
    paginate(
      ctx.url,
      list.map((a) => ctx.store.publicView(a)),
    ),
  )
}

async function asset(ctx: RouteContext): Promise<void> {
  const a = ctx.store.state.assets[ctx.params.token ?? '']
  if (!a || a.orgSlug !== ctx.org?.slug)
    throw new HttpError(404, `asset not found: ${ctx.params.token ?? ''}`)
  sendJson(ctx.res, 200, { data: ctx.store.publicView(a) })
}
