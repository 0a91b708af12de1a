import type { RunningHost } from '../../../src/host/index.ts'

/**
 * Trades the printed URL for the host's cookie, exactly as a browser's first load does, and
 * returns the `Cookie` header value to send with later requests.
 */
export async function hostCookie(host: RunningHost): Promise<string> {
  const response = await fetch(host.url, { redirect: 'manual' })
  const cookie = response.headers.get('set-cookie')
  if (response.status !== 303 || !cookie) throw new Error(`no cookie: HTTP ${response.status}`)
  return cookie.split(';')[0] ?? ''
}
