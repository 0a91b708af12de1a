/**
 * Route table and request context for the sandbox. Patterns are `/v1/:org/assets/:token`; the
 * `/api/v1/…` prefix is folded onto `/v1/…`, so every route answers both and stats count them once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultRule } from './faults.ts'
import { HttpError } from './http-util.ts'
import type { AccessToken, Org, User } from './model.ts'
import type { SandboxStats } from './stats.ts'
import type { SandboxStore } from './store.ts'

/** Who may call a route. */
export type RouteAuth = 'none' | 'read' | 'write' | 'integration'

/** The caller, once authenticated. */
export interface Caller {
  readonly token: AccessToken
  readonly user: User
}

/** Everything a handler gets. */
export interface RouteContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
  readonly store: SandboxStore
  readonly stats: SandboxStats
  /** Set for authenticated routes. */
  readonly caller: Caller | undefined
  /** Set for `/:org/` routes: the org, checked against the caller's memberships. */
  readonly org: Org | undefined
  /** A reset/partial fault for a handler that reads the body itself (storage PUTs). */
  readonly fault: FaultRule | undefined
  /** Drops the TCP connection without an answer (a reset, as a flaky network would). */
  resetConnection(): void
}

/** One route. `bodyFaults`: the handler applies reset/partial faults itself. */
export interface Route {
  readonly method: string
  readonly pattern: string
  readonly auth: RouteAuth
  readonly bodyFaults?: boolean
  handle(ctx: RouteContext): Promise<void>
}

/** A matched route. */
export interface RouteMatch {
  readonly route: Route
  readonly params: Record<string, string>
}

/** Folds `/api/v1/…` onto `/v1/…`. */
export function canonicalPath(pathname: string): string {
  return pathname.startsWith('/api/v1/') ? pathname.slice(4) : pathname
}

/** Finds the first route matching method and path. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): RouteMatch | undefined {
  const segments = canonicalPath(pathname).split('/').filter(Boolean)
  for (const route of routes) {
    if (route.method !== method) continue
    const parts = route.pattern.split('/').filter(Boolean)
    if (parts.length !== segments.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string
      const seg = segments[i] as string
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(seg)
        } catch {
          ok = false
          break
        }
      } else if (part !== seg) {
        ok = false
        break
      }
    }
    if (ok) return { route, params }
  }
  return undefined
}

/** Checks the bearer token for a route: 401 without a valid one, 403 for the wrong scope. */
export function authenticate(
  req: IncomingMessage,
  store: SandboxStore,
  auth: RouteAuth,
): Caller | undefined {
  if (auth === 'none') return undefined
  const header = req.headers.authorization ?? ''
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  const token = m ? store.token(m[1] as string) : undefined
  const user = token ? store.user(token.userId) : undefined
  if (!token || !user) throw new HttpError(401, 'unauthenticated: a valid bearer token is required')
  if (auth === 'integration') {
    if (token.scope !== 'integration') throw new HttpError(401, 'invalid integration token')
    return { token, user }
  }
  if (token.scope === 'integration')
    throw new HttpError(401, 'an integration token cannot call this API')
  if (auth === 'write' && token.scope !== 'write')
    throw new HttpError(403, 'forbidden: this token lacks the write scope')
  return { token, user }
}

/** The org named in the path, if the caller belongs to it (404 otherwise). */
export function resolveOrg(
  store: SandboxStore,
  caller: Caller | undefined,
  slug: string | undefined,
): Org | undefined {
  if (slug === undefined) return undefined
  const org = store.org(slug)
  if (!org || !caller || !caller.user.orgSlugs.includes(slug))
    throw new HttpError(404, `organization not found: ${slug}`)
  return org
}

/** Reads `page` / `per_page` (default 1 / 20, max 100) and slices `items` with a `pagy` block. */
export function paginate<T>(
  url: URL,
  items: readonly T[],
): { data: T[]; pagy: Record<string, number> } {
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page') ?? '1')) || 1)
  const perPage = Math.min(
    100,
    Math.max(1, Math.floor(Number(url.searchParams.get('per_page') ?? '20')) || 20),
  )
  const start = (page - 1) * perPage
  const data = items.slice(start, start + perPage)
  return {
    data,
    pagy: {
      current_page: page,
      page_items: data.length,
      total_pages: Math.max(1, Math.ceil(items.length / perPage)),
      total_count: items.length,
    },
  }
}
