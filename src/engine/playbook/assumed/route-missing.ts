/**
 * "The server says this route does not exist": how the assumed routes (boards.ts, assets.ts)
 * recognise a Playbook that lacks a route we guessed, and remember it (per engine) so the
 * fallback is taken at once and announced once (to the engine's listeners: `onTold`). Callers confirm with
 * a documented read before they fall back where a 404 could be about a missing record.
 *
 * What counts as "missing":
 *  - 405 (method not allowed) and 501 (not implemented): always the route itself.
 *  - 404: the route, unless the record the path names may be gone (`recordMayBeGone`): then the
 *    caller looks the record up with a documented route and says so (`recordGone`).
 */
import { isPlaybookError } from '../errors.ts'

/** A named assumed route, e.g. `POST /v1/:org/boards` (the name used in the user's message). */
export type AssumedRoute = string

/** What the caller knows about the record a 404 could be about. */
export interface NotFoundContext {
  /**
   * The path names a record (`/boards/{token}`) and a 404 could mean that record is gone. When
   * true, a 404 is read as "route missing" only when `recordGone` is false (the record was found
   * by a documented route); otherwise it is not treated as a missing route.
   */
  readonly recordMayBeGone?: boolean
  /** Set after the caller looked: false = the record exists (so the 404 was the route). */
  readonly recordGone?: boolean
}

/** True when `error` is the server's answer that the route itself does not exist. */
export function isRouteMissing(error: unknown, context: NotFoundContext = {}): boolean {
  if (!isPlaybookError(error)) return false
  if (error.status === 405 || error.status === 501) return true
  if (error.status !== 404) return false
  if (context.recordMayBeGone !== true) return true
  return context.recordGone === false
}

/** Thrown by the assumed modules when the route is missing (now or earlier in this process). */
export class RouteMissingError extends Error {
  readonly route: AssumedRoute
  constructor(route: AssumedRoute, cause?: unknown, message?: string) {
    super(
      message ?? `Playbook does not offer ${route} (assumed route)`,
      cause === undefined ? undefined : { cause },
    )
    this.name = 'RouteMissingError'
    this.route = route
  }
}

/** True for RouteMissingError instances (also across module copies). */
export function isRouteMissingError(e: unknown): e is RouteMissingError {
  return e instanceof Error && e.name === 'RouteMissingError'
}

/** Someone to tell, once per server and route, that a fallback is in use. */
export type RouteMissingListener = (notice: {
  readonly route: string
  readonly message: string
}) => void

/**
 * Which assumed routes a server lacks, per server (base URL), for one engine: a fallback is then
 * taken without asking again, and the user is told once (to the engine's listeners). Kept in
 * memory: a restarted app asks the server again (it may have the route by then). One per engine,
 * passed to the parts that call assumed routes, so two engines in one process (tests, the CLI
 * beside a host) neither share what they learnt nor hear each other's notices.
 */
export interface RouteMissingMemory {
  /** Records that `route` is missing on `server`; true when this is news (tell the user). */
  markMissing(server: string, route: AssumedRoute): boolean
  /** True when `route` is known to be missing on `server`. */
  isMissing(server: string, route: AssumedRoute): boolean
  /** Tells the listeners that a fallback is in use, in plain words. */
  tell(route: AssumedRoute, message: string): void
  /** Subscribes to the notices; returns the unsubscribe. */
  onTold(listener: RouteMissingListener): () => void
}

/** A fresh memory (one per engine). */
export function createRouteMissingMemory(): RouteMissingMemory {
  const missing = new Set<string>()
  const listeners = new Set<RouteMissingListener>()
  const key = (server: string, route: string): string => `${server}\0${route}`
  return {
    markMissing(server, route) {
      const k = key(server, route)
      if (missing.has(k)) return false
      missing.add(k)
      return true
    },
    isMissing: (server, route) => missing.has(key(server, route)),
    tell(route, message) {
      for (const listener of listeners) {
        try {
          listener({ route, message })
        } catch {
          // A listener's failure must not stop the fallback.
        }
      }
    },
    onTold(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * Records that `route` is missing on `server` and, the first time, says that a fallback is in
 * use. Returns true when this call was the one that told.
 */
export function reportRouteMissing(
  memory: RouteMissingMemory,
  server: string,
  route: string,
  message: string,
): boolean {
  if (!memory.markMissing(server, route)) return false
  memory.tell(route, message)
  return true
}
