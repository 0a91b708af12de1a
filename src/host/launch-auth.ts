/**
 * Who may use the headless host: whoever holds the URL it printed. The URL carries a random
 * per-launch key; the first load trades it for an HttpOnly, SameSite=Strict cookie and redirects
 * to a clean address, and every later request (pages, the WebSocket, uploads) must bring that
 * cookie. Origin and Host checks stop web pages; the key stops other local processes, which can
 * set any header but cannot read the terminal the host printed to.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The query parameter that carries the launch key in the printed URL. */
export const launchKeyParam = 'key'

/** What one launch of the host knows. */
export interface LaunchAuth {
  /** The key in the printed URL. */
  readonly key: string
  /** `name=value; attributes` for the Set-Cookie header after a good key. */
  readonly setCookie: string
  /** True when the request carries this launch's cookie. */
  hasCookie(req: IncomingMessage): boolean
  /** True when `given` is this launch's key. */
  keyMatches(given: string | null): boolean
}

/**
 * Makes a new key and cookie for one launch. Cookies ignore ports, so the name is random too: two
 * hosts on one machine do not overwrite each other's cookie.
 */
export function createLaunchAuth(): LaunchAuth {
  const key = randomBytes(32).toString('base64url')
  const cookieValue = randomBytes(32).toString('base64url')
  const cookieName = `pbs_${randomBytes(6).toString('hex')}`
  return {
    key,
    setCookie: `${cookieName}=${cookieValue}; HttpOnly; SameSite=Strict; Path=/`,
    hasCookie: (req) => sameSecret(readCookie(req.headers.cookie, cookieName), cookieValue),
    keyMatches: (given) => sameSecret(given, key),
  }
}

/** Compares two secrets in constant time; absent never matches. */
export function sameSecret(given: string | null | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The value of cookie `name` in a Cookie header, or null. */
function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}
