/**
 * Magic links arrive as `playbook-sync://auth?code=…` (the app's scheme) or as any URL a person
 * pastes that carries a `code` (or `token`) parameter; this finds the one-time code in either.
 */

/** The app's own redirect URI for magic links. */
export const MAGIC_LINK_REDIRECT_URI = 'playbook-sync://auth'

/** Returns the code in `link`, or throws an error that says what was expected. */
export function parseMagicLinkCode(link: string): string {
  const text = link.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(
      `not a link: "${text}". Paste the whole link from the e-mail (it contains code=…)`,
    )
  }
  const code = url.searchParams.get('code') ?? url.searchParams.get('token')
  if (code) return code
  // Some mail clients move the query into the fragment.
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''))
  const fromHash = fragment.get('code') ?? fragment.get('token')
  if (fromHash) return fromHash
  throw new Error(`the link has no code: "${text}". Paste the whole link from the e-mail`)
}

/** How long a requested link stays acceptable: about as long as people take to open the e-mail. */
export const magicLinkTtlMs = 15 * 60 * 1000

/** The `state` nonce in `link` (query or fragment), or null when it carries none. */
export function parseMagicLinkState(link: string): string | null {
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return null
  }
  return (
    url.searchParams.get('state') ??
    new URLSearchParams(url.hash.replace(/^#/, '')).get('state') ??
    null
  )
}

/** The redirect URI with the request's `state` nonce added (Playbook appends the code to it). */
export function redirectWithState(redirectUri: string, state: string): string {
  const url = new URL(redirectUri)
  url.searchParams.set('state', state)
  return url.toString()
}
