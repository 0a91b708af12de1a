/**
 * "This Playbook does not have that route": the one place the client decides that an assumed
 * route (docs/api-notes.md, "Assumed") is missing, and tells the user once per route. Callers
 * confirm with a documented read (e.g. the asset still exists) before they fall back, so a 404
 * about a missing record is never mistaken for a missing route.
 */
import { isPlaybookError } from '../errors.ts'

/** Statuses a server answers for a route it does not have. */
const MISSING_STATUSES: ReadonlySet<number> = new Set([404, 405, 501])

/** True when an error is the answer a server gives for a route it does not have (or may be). */
export function looksLikeMissingRoute(error: unknown): boolean {
  return isPlaybookError(error) && MISSING_STATUSES.has(error.status)
}

/** Raised by an assumed module when the route is missing and a fallback applies. */
export class RouteMissingError extends Error {
  /** The assumed operation, e.g. `versions`, `update`, `move`, `group`. */
  readonly route: string
  constructor(route: string, message: string) {
    super(message)
    this.name = 'RouteMissingError'
    this.route = route
  }
}

/** True for RouteMissingError (also across module copies). */
export function isRouteMissing(error: unknown): error is RouteMissingError {
  return error instanceof Error && error.name === 'RouteMissingError'
}

/** Someone to tell, once per route, that a fallback is in use. */
export type RouteMissingListener = (notice: {
  readonly route: string
  readonly message: string
}) => void

const listeners = new Set<RouteMissingListener>()
const told = new Set<string>()

/** Subscribes to first-time "route missing" notices; returns the unsubscribe. */
export function onRouteMissing(listener: RouteMissingListener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * Says (once per server and route for this process) that a fallback is in use, in plain words.
 * Returns true when this call was the one that told.
 */
export function reportRouteMissing(server: string, route: string, message: string): boolean {
  const key = `${server}\n${route}`
  if (told.has(key)) return false
  told.add(key)
  for (const listener of listeners) {
    try {
      listener({ route, message })
    } catch {
      // A listener's failure must not stop the fallback.
    }
  }
  return true
}
