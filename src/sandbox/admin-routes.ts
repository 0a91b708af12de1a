/**
 * `/__sandbox/…`: the test and admin API (no auth; the sandbox binds to loopback only): stored
 * assets with their sha256, faults, stats, the clock, token revocation and the mailbox.
 */
import type { FaultRules } from './faults.ts'
import { HttpError, readJson, sendJson } from './http-util.ts'
import type { Route, RouteContext } from './router.ts'
import { countDuplicates } from './upload-routes.ts'
import { countVersionDuplicates } from './asset-routes.ts'

/** Builds the admin routes. */
export function adminRoutes(faults: FaultRules): Route[] {
  return [
    { method: 'GET', pattern: '/__sandbox/assets', auth: 'none', handle: assets },
    {
      method: 'GET',
      pattern: '/__sandbox/faults',
      auth: 'none',
      handle: async (ctx) => sendJson(ctx.res, 200, { data: faults.list() }),
    },
    {
      method: 'POST',
      pattern: '/__sandbox/faults',
      auth: 'none',
      handle: async (ctx) => {
        faults.add(await readJson(ctx.req))
        sendJson(ctx.res, 200, { data: faults.list() })
      },
    },
    {
      method: 'DELETE',
      pattern: '/__sandbox/faults',
      auth: 'none',
      handle: async (ctx) => {
        faults.clear()
        sendJson(ctx.res, 200, { data: [] })
      },
    },
    { method: 'GET', pattern: '/__sandbox/stats', auth: 'none', handle: stats },
    { method: 'POST', pattern: '/__sandbox/clock', auth: 'none', handle: clock },
    {
      method: 'GET',
      pattern: '/__sandbox/clock',
      auth: 'none',
      handle: async (ctx) => sendJson(ctx.res, 200, clockJson(ctx)),
    },
    { method: 'POST', pattern: '/__sandbox/tokens/revoke', auth: 'none', handle: revoke },
    {
      method: 'GET',
      pattern: '/__sandbox/mailbox',
      auth: 'none',
      handle: async (ctx) => sendJson(ctx.res, 200, { data: ctx.store.state.mails }),
    },
  ]
}

async function assets(ctx: RouteContext): Promise<void> {
  const board = ctx.url.searchParams.get('board')
  const list = Object.values(ctx.store.state.assets).filter(
    (a) => !board || a.collection_token === board,
  )
  sendJson(ctx.res, 200, { data: list.map((a) => ctx.store.view(a)) })
}

async function stats(ctx: RouteContext): Promise<void> {
  const s = ctx.stats
  sendJson(ctx.res, 200, {
    requests: s.requests,
    api_requests: s.apiRequests,
    storage_requests: s.storageRequests,
    bytes_received: s.bytesReceived,
    duplicates: countDuplicates(ctx.store) + countVersionDuplicates(ctx.store),
    assets: Object.keys(ctx.store.state.assets).length,
  })
}

function clockJson(ctx: RouteContext): Record<string, unknown> {
  return { now: ctx.store.clock.iso(), offset_s: ctx.store.clock.offsetMs() / 1000 }
}

async function clock(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const advance = body.advance_s
  if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
    throw new HttpError(422, 'advance_s must be a number of seconds >= 0')
  }
  ctx.store.clock.advance(advance)
  await ctx.store.commit()
  sendJson(ctx.res, 200, clockJson(ctx))
}

async function revoke(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const token = typeof body.token === 'string' ? ctx.store.state.tokens[body.token] : undefined
  if (!token) throw new HttpError(404, 'token not found')
  token.revoked = true
  await ctx.store.commit()
  sendJson(ctx.res, 200, { data: { revoked: true } })
}
