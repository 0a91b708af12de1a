/**
 * The plugin host: an HTTP endpoint that receives Playbook plugin invocations (seed 001) for
 * "Send to desktop" and "Make web versions". It refuses anything without the shared secret,
 * validates strictly, answers 200 at once and works afterwards, and does each
 * `pluginInvocationToken` once. Plain Node: the app, the CLI and tests all start it the same way.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { assertNever } from '../../shared/assert-never.ts'
import type { Logger } from '../engine-types.ts'
import { createCallbackClient } from './callback-client.ts'
import { openInvocationLedger } from './invocation-ledger.ts'
import type { Invocation } from './invocation-schema.ts'
import type {
  PluginHostEvent,
  PluginHostListener,
  PluginItemSnapshot,
  PluginItemState,
  PluginName,
} from './plugin-activity.ts'
import type { AssetOutcome, PluginRun } from './plugin-run.ts'
import { reasonOf } from './plugin-run.ts'
import { readInvocation } from './read-invocation.ts'
import { defaultRetryPolicy } from './retry.ts'
import type { RetryPolicy } from './retry.ts'
import { assertUsableSecret } from './secret.ts'
import { semaphore } from './semaphore.ts'
import { runSendToDesktop } from './send-to-desktop.ts'
import { summarizeOutcomes } from './summarize-outcomes.ts'
import { runWebVersions } from './web-versions.ts'
import { byteBudget } from './download-file.ts'
import { createUrlPolicy, PluginUrlError } from './url-policy.ts'

/** The largest file a plugin downloads by default (bytes). */
export const defaultMaxAssetBytes = 2 * 1024 ** 3
/** The most one invocation downloads by default, all assets together (bytes). */
export const defaultMaxInvocationBytes = 8 * 1024 ** 3
/** Playbook's API, the default configured server. */
const productionApi = 'https://api.playbook.com'

/** How to start a plugin host. */
export interface PluginHostOptions {
  /** 0 picks a free port. */
  readonly port: number
  /** Defaults to loopback, 127.0.0.1. */
  readonly host?: string
  /** Shared secret (16+ URL-safe characters), in the invocation URL path or `x-plugin-secret`. */
  readonly secret: string
  /** The folder "Send to desktop" saves into. */
  readonly dest: string
  /** Ledger and partial downloads; defaults to `<dest>/.playbook-sync`. */
  readonly stateDir?: string
  readonly log?: Logger
  readonly retry?: Partial<RetryPolicy>
  /** Transfers running at once across all invocations; default 3. */
  readonly concurrency?: number
  /**
   * The configured Playbook API (default production). Its host is allowed besides Playbook's
   * storage and CDN hosts; when it is on loopback (the sandbox), that host and port only.
   */
  readonly apiUrl?: string | (() => string)
  /** The largest single download (bytes). */
  readonly maxAssetBytes?: number
  /** The most one invocation downloads, all assets together (bytes). */
  readonly maxInvocationBytes?: number
  /**
   * `Host` headers accepted besides this host's own address (`name:port`), e.g. a tunnel's name
   * when Playbook reaches the host through one.
   */
  readonly allowedHostHeaders?: readonly string[]
}

/** A running plugin host. */
export interface PluginHost {
  /** Each plugin's invocation URL, secret included: what to register with Playbook. */
  readonly urls: Readonly<Record<PluginName, string>>
  readonly port: number
  /** Every event from now on; returns the unsubscribe function. */
  subscribe(listener: PluginHostListener): () => void
  /** The latest snapshot of every item this process has worked on, oldest first. */
  activity(): readonly PluginItemSnapshot[]
  /** Resolves when no invocation is being worked on. */
  idle(): Promise<void>
  /** Stops listening and aborts running work (a redelivery can resume it); resolves when done. */
  close(): Promise<void>
}

const silentLog: Logger = { info() {}, warn() {}, error() {} }

function answer(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  })
  res.end(text)
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** Starts the plugin host and resolves once it is listening. */
export async function startPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  assertUsableSecret(options.secret)
  const log = options.log ?? silentLog
  const host = options.host ?? '127.0.0.1'
  const stateDir = options.stateDir ?? join(options.dest, '.playbook-sync')
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry }
  const slot = semaphore(Math.max(1, options.concurrency ?? 3))
  const ledger = await openInvocationLedger(
    join(stateDir, 'plugin-invocations.json'),
    Date.now,
    (m) => log.warn(m),
  )
  const listeners = new Set<PluginHostListener>()
  const items = new Map<string, PluginItemSnapshot>()
  const running = new Set<Promise<void>>()
  const reporting = new Set<string>()
  const stop = new AbortController()
  const apiUrl = options.apiUrl ?? productionApi
  const policy = createUrlPolicy({
    apiUrl: typeof apiUrl === 'function' ? apiUrl : () => apiUrl,
  })
  const maxAssetBytes = options.maxAssetBytes ?? defaultMaxAssetBytes
  const maxInvocationBytes = options.maxInvocationBytes ?? defaultMaxInvocationBytes
  let hostHeaders = new Set<string>()

  const emit = (event: PluginHostEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        log.error('plugin host listener threw', { error: String(error) })
      }
    }
  }

  const work = async (plugin: PluginName, invocation: Invocation): Promise<void> => {
    const token = invocation.pluginInvocationToken
    const update = (index: number, state: PluginItemState): void => {
      const asset = invocation.assets[index]
      if (asset === undefined) return
      const item: PluginItemSnapshot = {
        id: `${token}:${index}`,
        plugin,
        invocationToken: token,
        assetToken: asset.token,
        title: asset.title,
        state,
        updatedAt: Date.now(),
      }
      items.set(item.id, item)
      emit({ type: 'item', item })
    }
    invocation.assets.forEach((_, index) => update(index, { kind: 'queued' }))
    const callback = createCallbackClient({
      callbackUrl: invocation.callbackUrl,
      invocationToken: token,
      retry,
      signal: stop.signal,
      fetch: policy.fetch,
    })
    const run: PluginRun = {
      fetch: policy.fetch,
      maxAssetBytes,
      budget: byteBudget(maxInvocationBytes),
      invocation,
      dest: options.dest,
      partsDir: join(stateDir, 'parts'),
      retry,
      signal: stop.signal,
      log,
      callback,
      slot,
      update,
      alreadyDone: ledger.doneAssets(token),
      done: async (index, result) => {
        await ledger.assetDone(token, index, result)
        update(index, { kind: 'done', ...result })
      },
    }
    let outcomes: readonly AssetOutcome[]
    try {
      outcomes = await (plugin === 'send-to-desktop' ? runSendToDesktop(run) : runWebVersions(run))
    } catch (error) {
      if (stop.signal.aborted) return ledger.release(token)
      const reason = reasonOf(error)
      invocation.assets.forEach((_, index) => update(index, { kind: 'failed', reason }))
      outcomes = invocation.assets.map(() => ({ kind: 'failed', reason }))
    }
    const { status, message } = summarizeOutcomes(plugin, invocation.assets, outcomes)
    await ledger
      .finish(token, { status, message, reported: false })
      .catch((error: unknown) => log.error('plugin ledger write failed', { error: String(error) }))
    await report(plugin, invocation, { status, message })
  }

  /** Sends the final status; remembers when it got through, so a redelivery can send it again. */
  const report = async (
    plugin: PluginName,
    invocation: Invocation,
    outcome: { readonly status: 'success' | 'failed'; readonly message: string },
  ): Promise<void> => {
    const token = invocation.pluginInvocationToken
    const callback = createCallbackClient({
      callbackUrl: invocation.callbackUrl,
      invocationToken: token,
      retry,
      signal: stop.signal,
      fetch: policy.fetch,
    })
    let reported = true
    try {
      await callback.setStatus(outcome.status, outcome.message)
      await ledger.finish(token, { ...outcome, reported: true })
    } catch (error) {
      if (stop.signal.aborted) return
      reported = false
      log.error('plugin status report failed', { invocation: token, error: reasonOf(error) })
    }
    log.info('plugin invocation finished', { plugin, invocation: token, status: outcome.status })
    emit({ type: 'invocation-finished', plugin, invocationToken: token, ...outcome, reported })
  }

  const track = (token: string, task: Promise<void>): void => {
    const guarded = task.catch((error: unknown) =>
      log.error('plugin invocation crashed', { invocation: token, error: reasonOf(error) }),
    )
    running.add(guarded)
    void guarded.finally(() => running.delete(guarded))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = await readInvocation(req, options.secret, hostHeaders)
    switch (request.kind) {
      case 'not-found':
        return answer(res, 404, { error: 'not found' })
      case 'refused': {
        const { status, reason, issues } = request
        log.warn('plugin invocation refused', { status, reason })
        emit({ type: 'invocation-refused', status, reason })
        if (status === 405) res.setHeader('allow', 'POST')
        return answer(res, status, { error: reason, ...(issues ? { issues } : {}) }, status === 413)
      }
      case 'accepted':
        break
      default:
        return assertNever(request, 'invocation request')
    }
    const { plugin: name, invocation } = request
    const token = invocation.pluginInvocationToken
    try {
      policy.check(invocation.callbackUrl, 'callback')
    } catch (error) {
      if (!(error instanceof PluginUrlError)) throw error
      log.warn('plugin invocation refused', { status: 400, reason: error.message })
      emit({ type: 'invocation-refused', status: 400, reason: error.message })
      return answer(res, 400, { error: error.message })
    }
    const claim = ledger.claim(token, name)
    if (claim.result === 'duplicate') {
      log.info('plugin invocation already handled', { plugin: name, invocation: token })
      emit({ type: 'invocation-duplicate', plugin: name, invocationToken: token })
      answer(res, 200, { ok: true, duplicate: true })
      const unreported = ledger.unreported(token)
      if (unreported !== undefined && !reporting.has(token)) {
        reporting.add(token)
        track(
          token,
          report(name, invocation, unreported).finally(() => reporting.delete(token)),
        )
      }
      return
    }
    try {
      await claim.saved
    } catch (error) {
      ledger.release(token)
      log.error('plugin ledger write failed', { error: String(error) })
      return answer(res, 503, { error: 'cannot record the invocation' })
    }
    answer(res, 200, { ok: true })
    log.info('plugin invocation accepted', {
      plugin: name,
      invocation: token,
      assets: invocation.assets.length,
    })
    emit({
      type: 'invocation-accepted',
      plugin: name,
      invocationToken: token,
      assetCount: invocation.assets.length,
      resumed: claim.result === 'resume',
    })
    track(token, work(name, invocation))
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('plugin host request failed', { error: reasonOf(error) })
      if (!res.headersSent) answer(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  // DNS rebinding: a page on another name that resolves here is not answered.
  hostHeaders = new Set([
    `${formatHost(host)}:${port}`,
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    ...(options.allowedHostHeaders ?? []).map((h) => h.toLowerCase()),
  ])
  const base = `http://${formatHost(host)}:${port}/plugins/${options.secret}`
  const urls = {
    'send-to-desktop': `${base}/send-to-desktop`,
    'web-versions': `${base}/web-versions`,
  } satisfies Record<PluginName, string>
  log.info('plugin host listening', { host, port })
  let closing: Promise<void> | undefined

  return {
    urls,
    port,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    activity: () => [...items.values()],
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    close() {
      closing ??= (async () => {
        stop.abort(new Error('plugin host closed'))
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await closed
        while (running.size > 0) await Promise.allSettled([...running])
        await policy.close()
      })()
      return closing
    },
  }
}
