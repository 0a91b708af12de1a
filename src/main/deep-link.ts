/**
 * `playbook-sync://` links arrive from the OS (open-url on macOS, argv on Windows and Linux) and
 * are untrusted input: only `playbook-sync://auth?code=…` with a plain code is accepted, and it is
 * rebuilt from the parsed code rather than passed through.
 */

/** The app's URL scheme. */
export const linkScheme = 'playbook-sync'

/** A link the app acts on. */
export interface AuthLink {
  readonly kind: 'auth'
  readonly code: string
  /** The canonical link, rebuilt from the code. */
  readonly link: string
}

const codePattern = /^[A-Za-z0-9._~-]{1,512}$/

/** Parses one untrusted value; null for anything that is not a well-formed auth link. */
export function parseDeepLink(raw: unknown): AuthLink | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== `${linkScheme}:`) return null
  if (url.username || url.password || url.port || url.hash) return null
  // `playbook-sync://auth?code=x` parses with host "auth"; tolerate `playbook-sync:auth` and a trailing slash.
  const target = url.host !== '' ? `${url.host}${url.pathname}` : url.pathname.replace(/^\/\//, '')
  if (target !== 'auth' && target !== 'auth/') return null
  const keys = [...url.searchParams.keys()]
  if (keys.length !== 1 || keys[0] !== 'code') return null
  const code = url.searchParams.get('code') ?? ''
  if (!codePattern.test(code)) return null
  return { kind: 'auth', code, link: `${linkScheme}://auth?code=${encodeURIComponent(code)}` }
}

/** The first auth link in a command line (cold start, or a second instance's argv). */
export function findDeepLink(argv: readonly string[]): AuthLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${linkScheme}:`)) continue
    const link = parseDeepLink(arg)
    if (link) return link
  }
  return null
}

/** What to do with a well-formed link the OS handed us. */
export type LinkDecision = 'complete' | 'confirm'

/**
 * Any web page can make the OS open `playbook-sync://auth?code=…`. Completing such a link silently
 * would sign the app into whoever made the code (and sync the user's folders to that account), so
 * a link is completed at once only while this app is waiting for one; otherwise the user confirms.
 */
export function decideLink(sessionKind: string): LinkDecision {
  return sessionKind === 'waiting-for-link' ? 'complete' : 'confirm'
}
