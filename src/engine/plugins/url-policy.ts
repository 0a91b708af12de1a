/**
 * Where the plugin host may send requests. Invocations are untrusted, and the URLs in them
 * (downloads, the callback, upload targets) would otherwise let anyone who can reach the plugin
 * host make this machine fetch from its own network (SSRF) or PUT files anywhere. Only Playbook's
 * own hosts (its storage and CDN) and the configured API's host are allowed, over https; private
 * and loopback addresses are refused after DNS resolution, at connect time, so a name that
 * resolves differently later cannot slip through. The one exception is the sandbox: when the
 * configured API is on loopback, its own host and port are allowed over plain http.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'

/** Playbook's hosts a plugin may be sent to (seed 001 shows `*.playbook.com` and GCS). */
export const playbookStorageHosts: readonly string[] = [
  'playbook.com',
  '*.playbook.com',
  'storage.googleapis.com',
]

/** A refused URL; its message is safe to show and to report to Playbook. */
export class PluginUrlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PluginUrlError'
  }
}

/** What `fetch` takes and gives here (undici's, so the connection can be checked). */
export type GuardedFetch = (
  url: string,
  init?: Parameters<typeof undiciFetch>[1],
) => Promise<Response>

/** The checks for one plugin host. */
export interface UrlPolicy {
  /** Throws a PluginUrlError unless `url` may be requested; `what` names it in the message. */
  check(url: string, what: string): URL
  /** `fetch` that checks every URL (and redirect) and refuses private addresses at connect time. */
  readonly fetch: GuardedFetch
  close(): Promise<void>
}

const privateRanges = (() => {
  const list = new BlockList()
  for (const [net, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 3],
  ] as const)
    list.addSubnet(net, bits, 'ipv4')
  for (const [net, bits] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
    ['64:ff9b::', 96],
    ['2002::', 16],
  ] as const)
    list.addSubnet(net, bits, 'ipv6')
  return list
})()

/** True for loopback, private, link-local, shared, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return privateRanges.check(address, 'ipv4')
  if (family !== 6) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return privateRanges.check(mapped[1], 'ipv4')
  return privateRanges.check(address, 'ipv6')
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]'])

function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const name = hostname.toLowerCase()
  return patterns.some((pattern) =>
    pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) : name === pattern,
  )
}

/**
 * The policy for a plugin host whose configured API is `apiUrl` (a function: the signed-in
 * server may change while the host runs).
 */
export function createUrlPolicy(options: {
  readonly apiUrl: () => string
  readonly hosts?: readonly string[]
}): UrlPolicy {
  const hosts = options.hosts ?? playbookStorageHosts
  const api = (): URL | null => {
    try {
      return new URL(options.apiUrl())
    } catch {
      return null
    }
  }
  /** The sandbox case: the API runs on loopback, and this URL is that very host and port. */
  const isLoopbackApi = (url: URL): boolean => {
    const configured = api()
    return (
      configured !== null &&
      loopbackNames.has(configured.hostname) &&
      url.host === configured.host &&
      url.protocol === configured.protocol
    )
  }

  const check = (raw: string, what: string): URL => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new PluginUrlError(`the ${what} address is not a URL`)
    }
    if (url.username || url.password)
      throw new PluginUrlError(`the ${what} address carries credentials`)
    if (isLoopbackApi(url)) return url
    if (url.protocol !== 'https:') throw new PluginUrlError(`the ${what} address is not https`)
    const configured = api()
    const apiHost = configured && configured.protocol === 'https:' ? [configured.hostname] : []
    if (!hostAllowed(url.hostname, [...hosts, ...apiHost]))
      throw new PluginUrlError(`the ${what} address is not a Playbook address`)
    if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0)
      throw new PluginUrlError(`the ${what} address is not a Playbook address`)
    return url
  }

  // At connect time: whatever the name resolves to now must be public (unless it is the
  // loopback sandbox the user configured).
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0)
      const configured = api()
      const sandbox =
        configured !== null &&
        loopbackNames.has(configured.hostname) &&
        configured.hostname.replace(/^\[|\]$/g, '') === hostname
      const refused = addresses.some((a) =>
        sandbox
          ? !a.address.startsWith('127.') && a.address !== '::1'
          : isPrivateAddress(a.address),
      )
      if (refused || addresses.length === 0)
        return callback(new PluginUrlError('the address is on a private network'), '', 0)
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      const first = addresses[0] as LookupAddress
      callback(null, first.address, first.family)
    })
  }
  const agent = new Agent({ connect: { lookup: guardedLookup } })

  const guardedFetch: GuardedFetch = async (raw, init) => {
    let url = check(raw, 'request')
    for (let hop = 0; hop < 5; hop++) {
      const response = await undiciFetch(url, { ...init, redirect: 'manual', dispatcher: agent })
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || location === null)
        return response as unknown as Response
      await response.body?.cancel()
      url = check(new URL(location, url).toString(), 'redirect')
    }
    throw new PluginUrlError('too many redirects')
  }

  return { check, fetch: guardedFetch, close: () => agent.close() }
}
