/**
 * Which Playbook API a credential (token, link code, integration token) may be sent to: https
 * anywhere, plain http only on this machine (the sandbox), never with credentials in the URL.
 * One rule for the contract, the CLI's flags and environment, partner.json and the engine.
 */

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** Why `raw` may not be used as the API URL, in plain words, or null when it may. */
export function apiUrlProblem(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'is not a URL'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL'
  if (url.username || url.password) return 'must not carry a user name or password'
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname))
    return 'must be https (plain http is only for a server on this machine)'
  return null
}

/** True when `raw` is an API URL a credential may be sent to. */
export function isSafeApiUrl(raw: string): boolean {
  return apiUrlProblem(raw) === null
}
