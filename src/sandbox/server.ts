/**
 * The sandbox's request pipeline: stats, the request log (route patterns only, so tokens and
 * signatures never reach it), fault injection, the plugin routes, then the route table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { assertNever } from '../shared/assert-never.ts'
import type { SandboxContext } from './context.ts'
import type { FaultRule, FaultRules } from './faults.ts'
import { HttpError, drain, readUpTo, sendJson } from './http-util.ts'
import { authenticate, canonicalPath, matchRoute, resolveOrg, type Route } from './router.ts'
import type { SandboxStats } from './stats.ts'
import type { SandboxStore } from './store.ts'

/** A plugin route handler (returns false when the request is not its own). */
export type PluginHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SandboxContext,
) => Promise<boolean>

/** Builds the node:http request listener. */
export function createRequestHandler(deps: {
  readonly store: SandboxStore
  readonly stats: SandboxStats
  readonly faults: FaultRules
  readonly routes: readonly Route[]
  readonly plugin: PluginHandler
  readonly context: () => SandboxContext
  readonly log: (line: string) => void
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, stats, faults, routes, log } = deps
  return (req, res) => {
    const started = Date.now()
    const socket = req.socket
    const resetConnection = (): void => {
      socket.destroy()
    }
    const method = req.method ?? 'GET'
    // Answers carry the sandbox's own time (moved by /__sandbox/clock), as a server's Date would.
    res.setHeader('Date', new Date(store.clock.now()).toUTCString())
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid')
    } catch {
      sendJson(res, 400, { error: 'malformed request URL' })
      return
    }
    const path = url.pathname
    const admin = path.startsWith('/__sandbox')
    const match = matchRoute(routes, method, path)
    const pluginPath = path.startsWith('/plugins') || path.startsWith('/__sandbox/plugins')
    const pattern = match ? match.route.pattern : pluginPath ? '/plugins/*' : '(unmatched)'
    const key = `${method} ${pattern}`
    const kind = path.startsWith('/storage/')
      ? 'storage'
      : canonicalPath(path).startsWith('/v1/') || path.startsWith('/api/')
        ? 'api'
        : 'other'
    if (!admin) stats.count(key, kind)
    let logged = false
    const logLine = (outcome: string): void => {
      if (logged) return
      logged = true
      log(`${method} ${pattern} ${outcome} ${Date.now() - started}ms`)
    }
    res.on('finish', () => logLine(String(res.statusCode)))
    res.on('close', () => logLine('connection closed'))

    const run = async (): Promise<void> => {
      let fault: FaultRule | undefined
      const rule = admin ? undefined : faults.take(method, path)
      if (rule) {
        switch (rule.action) {
          case 'status': {
            drain(req)
            const headers: Record<string, string> = {}
            if (rule.retry_after !== undefined) headers['Retry-After'] = String(rule.retry_after)
            sendJson(res, rule.status ?? 503, { error: 'injected' }, headers)
            return
          }
          case 'delay':
            await sleep(rule.delay_ms ?? 0)
            break
          case 'reset':
            if (match?.route.bodyFaults) {
              fault = rule
              break
            }
            await readUpTo(req, rule.after_bytes ?? 0)
            resetConnection()
            return
          case 'partial':
            if (match?.route.bodyFaults) fault = rule
            break
          case 'lose-response':
            interceptAnswer(res, () => resetConnection())
            break
          case 'hold': {
            const ms = rule.hold_ms ?? rule.delay_ms ?? 0
            interceptAnswer(res, (send) => {
              setTimeout(send, ms).unref()
            })
            break
          }
          default:
            assertNever(rule.action, 'fault action')
        }
      }
      if (await deps.plugin(req, res, deps.context())) return
      if (!match) throw new HttpError(404, `no route for ${method} ${path}`)
      const caller = authenticate(req, store, match.route.auth)
      const org = resolveOrg(store, caller, match.params.org)
      await match.route.handle({
        req,
        res,
        url,
        params: match.params,
        store,
        stats,
        caller,
        org,
        fault,
        resetConnection,
      })
    }

    run().catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy()
        return
      }
      drain(req)
      if (error instanceof HttpError) {
        sendJson(res, error.status, error.body ?? { error: error.message }, { ...error.headers })
        return
      }
      log(
        `error in ${method} ${pattern}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
      sendJson(res, 500, { error: 'internal sandbox error' })
    })
  }
}

/**
 * Lets a handler do all its work, then takes over its answer: `release` gets a function that
 * sends the answer as written (for `hold`), or may drop the connection instead (`lose-response`).
 * The handlers commit their state before they answer, so the work is durable either way.
 */
function interceptAnswer(res: ServerResponse, release: (send: () => void) => void): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse
  const write = res.write.bind(res) as (...args: unknown[]) => boolean
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  const calls: { readonly fn: (...args: unknown[]) => unknown; readonly args: unknown[] }[] = []
  const patched = res as unknown as Record<string, unknown>
  patched.writeHead = (...args: unknown[]) => {
    calls.push({ fn: writeHead, args })
    return res
  }
  patched.write = (...args: unknown[]) => {
    calls.push({ fn: write, args })
    return true
  }
  patched.end = (...args: unknown[]) => {
    calls.push({ fn: end, args })
    release(() => {
      if (res.destroyed) return
      for (const call of calls) call.fn(...call.args)
    })
    return res
  }
}
