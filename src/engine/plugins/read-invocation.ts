/**
 * Decides whether one HTTP request to the plugin host is an invocation to act on: the path names
 * a plugin, the method is POST, the shared secret matches (in the path or `x-plugin-secret`,
 * compared in constant time) and the body is a valid seed-001 invocation. Nothing is trusted
 * before all of that holds.
 */
import type { IncomingMessage } from 'node:http'
import { describeIssues, invocationSchema } from './invocation-schema.ts'
import type { Invocation } from './invocation-schema.ts'
import { pluginNames } from './plugin-activity.ts'
import type { PluginName } from './plugin-activity.ts'
import { BodyError, readJsonBody } from './read-json-body.ts'
import { secretMatches } from './secret.ts'

/** The verdict on one request. */
export type InvocationRequest =
  | { readonly kind: 'accepted'; readonly plugin: PluginName; readonly invocation: Invocation }
  | { readonly kind: 'not-found' }
  | {
      readonly kind: 'refused'
      readonly status: number
      readonly reason: string
      readonly issues?: readonly string[]
    }

/** An invocation is a few kilobytes; a megabyte is generous. */
const maxBodyBytes = 1024 * 1024

function isPluginName(name: string): name is PluginName {
  return (pluginNames as readonly string[]).includes(name)
}

/**
 * Reads `/plugins/<secret>/<plugin>` or `/plugins/<plugin>` + `x-plugin-secret`. The body is
 * read only once the secret matched; otherwise it is discarded.
 */
export async function readInvocation(
  req: IncomingMessage,
  secret: string,
  hostHeaders: ReadonlySet<string>,
): Promise<InvocationRequest> {
  const { pathname } = new URL(req.url ?? '/', 'http://plugin-host')
  const segments = pathname.split('/').filter((s) => s !== '')
  const plugin = segments.at(-1) ?? ''
  const refuse = (status: number, reason: string): InvocationRequest => {
    req.resume()
    return { kind: 'refused', status, reason }
  }
  if (
    segments[0] !== 'plugins' ||
    segments.length < 2 ||
    segments.length > 3 ||
    !isPluginName(plugin)
  ) {
    req.resume()
    return { kind: 'not-found' }
  }
  if (req.method !== 'POST') return refuse(405, 'use POST')
  // Playbook calls from its servers: no browser page may invoke (no Origin, JSON only), and only
  // under this host's own names (a rebinding name that resolves here is refused).
  if (!hostHeaders.has((req.headers.host ?? '').toLowerCase())) return refuse(421, 'wrong host')
  if (req.headers.origin !== undefined) return refuse(403, 'browser requests are refused')
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') return refuse(415, 'send application/json')

  let candidate: string | undefined
  try {
    candidate = segments.length === 3 ? decodeURIComponent(segments[1] ?? '') : undefined
  } catch {
    candidate = ''
  }
  const header = req.headers['x-plugin-secret']
  candidate ??= typeof header === 'string' ? header : undefined
  if (candidate === undefined || candidate === '') return refuse(401, 'missing plugin secret')
  if (!secretMatches(candidate, secret)) return refuse(403, 'wrong plugin secret')

  let body: unknown
  try {
    body = await readJsonBody(req, maxBodyBytes)
  } catch (error) {
    if (error instanceof BodyError)
      return { kind: 'refused', status: error.status, reason: error.message }
    throw error
  }
  const parsed = invocationSchema.safeParse(body)
  if (!parsed.success) {
    return {
      kind: 'refused',
      status: 400,
      reason: 'invalid invocation',
      issues: describeIssues(parsed.error),
    }
  }
  return { kind: 'accepted', plugin, invocation: parsed.data }
}
