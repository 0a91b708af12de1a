/**
 * `playbook-sync://` links arrive from the OS (open-url on macOS, argv on Windows and Linux) and
 * are untrusted input: only `playbook-sync://auth?code=…&state=…` with a plain code and nonce is
 * accepted, and it is rebuilt from the parsed values rather than passed through.
 */

import type { SessionState } from '../shared/account-models.ts'

/** The app's URL scheme. */
export const linkScheme = 'playbook-sync'

/** A link the app acts on. */
export interface AuthLink {
  readonly kind: 'auth'
  readonly code: string
  /** The nonce the app put in its sign-in request; the engine refuses links without the right one. */
  readonly state: string
  /** The canonical link, rebuilt from the code and state. */
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
  const keys = [...url.searchParams.keys()].sort()
  if (keys.length !== 2 || keys[0] !== 'code' || keys[1] !== 'state') return null
  const code = url.searchParams.get('code') ?? ''
  const state = url.searchParams.get('state') ?? ''
  if (!codePattern.test(code) || !codePattern.test(state)) return null
  const link = `${linkScheme}://auth?state=${encodeURIComponent(state)}&code=${encodeURIComponent(code)}`
  return { kind: 'auth', code, state, link }
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
export type LinkDecision =
  | { readonly kind: 'confirm'; readonly email: string }
  | { readonly kind: 'ignore'; readonly reason: string }

/**
 * Any web page can make the OS open `playbook-sync://auth?…`. A link is considered only while this
 * app waits for one (the engine then also checks its nonce and age), and the user confirms it in
 * a dialog that names the e-mail address the link was requested for.
 */
export function decideLink(session: SessionState): LinkDecision {
  return session.kind === 'waiting-for-link'
    ? { kind: 'confirm', email: session.email }
    : { kind: 'ignore', reason: 'Playbook Sync did not ask for a sign-in link' }
}
