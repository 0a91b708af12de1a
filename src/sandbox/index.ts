/**
 * A local Playbook: the API, GCS-style resumable storage, URL ingest, faults and an admin API, in
 * one node:http server. The app's "try it" mode, the CLI demo and every test run against it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminRoutes } from './admin-routes.ts'
import { apiRoutes } from './api-routes.ts'
import { boardRoutes } from './board-routes.ts'
import { createAssetAccess } from './asset-access.ts'
import { createSandboxClock } from './clock.ts'
import type { SandboxContext } from './context.ts'
import { FaultRules } from './faults.ts'
import { createStateWriter, loadState } from './persist.ts'
import { handlePluginRequest } from './plugins/plugin-routes.ts'
import type { Route } from './router.ts'
import { seedState } from './seed.ts'
import { isUnlimited } from './link-profile.ts'
import type { LinkProfile } from './link-profile.ts'
import { startLinkProxy } from './link-proxy.ts'
import type { LinkProxy } from './link-proxy.ts'
import { createRequestHandler } from './server.ts'
import { SandboxStats } from './stats.ts'
import { StorageRuntime } from './storage.ts'
import { storageRoutes } from './storage-routes.ts'
import { SandboxStore } from './store.ts'
import { uploadRoutes } from './upload-routes.ts'
import { assetRoutes } from './asset-routes.ts'
import { authRoutes } from './auth-routes.ts'
import { backblazeRoutes } from './backblaze-storage.ts'
import { DEFAULT_STORAGE } from './model.ts'
import type { StorageChoice } from './model.ts'
import { ingestRoutes } from './ingest-routes.ts'
import { IngestWorker } from './ingest-worker.ts'
import { webRoutes } from './web-view.ts'

/** The first line `playbook-sync sandbox` prints: where the sandbox is and how to sign in. */
export interface SandboxInfo {
  readonly url: string
  readonly org: string
  readonly token: string
  readonly readToken: string
  readonly integrationToken: string
  readonly boards: readonly { readonly token: string; readonly title: string }[]
}

/** A running sandbox. */
export interface Sandbox extends SandboxInfo {
  readonly info: SandboxInfo
  /** Where metadata and bytes live (a temp folder unless `dataDir` was given). */
  readonly dataDir: string
  /** What the plugin routes get: for tests that drive the store directly. */
  readonly context: SandboxContext
  /** Stops the server and the worker; removes the temp data folder when no `dataDir` was given. */
  close(): Promise<void>
}

/** Options for `startSandbox`. */
export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number
  /** Loopback only (default 127.0.0.1). */
  readonly host?: string
  /** Persist metadata and bytes here across restarts; default: a temp folder removed on close. */
  readonly dataDir?: string
  /** Most assets one org may hold (default 10000); past it URL ingest and completion answer 422. */
  readonly assetLimit?: number
  /** One line per request and event; default: silent. */
  readonly log?: (line: string) => void
  /**
   * A simulated network link between clients and the sandbox (latency, bandwidth cap), e.g.
   * `LINK_PROFILES.wan`; default: plain loopback. Every API, storage and admin request crosses it.
   */
  readonly network?: LinkProfile
  /**
   * The storage prepare hands out: GCS resumable sessions (default), or Backblaze-style single
   * PUTs and multipart parts (assumed shapes; docs/storage-providers.md). `/__sandbox/storage`
   * changes it at run time.
   */
  readonly storage?: Partial<StorageChoice>
}

/** True for hosts that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** Starts a sandbox; see `SandboxOptions`. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1'
  if (!isLoopbackHost(host)) {
    throw new Error(
      `the sandbox binds to loopback only; refusing host "${host}" (use 127.0.0.1, ::1 or localhost)`,
    )
  }
  const log = options.log ?? (() => {})
  const temporary = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'playbook-sandbox-')))
  await mkdir(dataDir, { recursive: true })
  const loaded = temporary ? undefined : await loadState(dataDir)
  const state = loaded ?? seedState(new Date().toISOString())
  const writer = createStateWriter(
    temporary ? undefined : dataDir,
    () => state,
    (error) =>
      log(
        `could not save the sandbox state: ${error instanceof Error ? error.message : String(error)}`,
      ),
  )
  const clock = createSandboxClock(state.clockOffsetMs, (offset) => {
    state.clockOffsetMs = offset
    writer.schedule()
  })
  const store = new SandboxStore({
    state,
    dataDir,
    clock,
    writer,
    assetLimit: options.assetLimit ?? 10_000,
  })
  store.storage = { ...DEFAULT_STORAGE, ...options.storage }
  const runtime = new StorageRuntime(store)
  await runtime.recover()
  const stats = new SandboxStats()
  const faults = new FaultRules()
  const worker = new IngestWorker(store, log)
  const assets = createAssetAccess(store)
  const routes: Route[] = [
    ...adminRoutes(faults),
    ...authRoutes(worker),
    ...uploadRoutes(),
    ...assetRoutes(),
    ...ingestRoutes(worker),
    ...apiRoutes(),
    ...boardRoutes(),
    ...storageRoutes(runtime),
    ...backblazeRoutes((choice) => {
      store.storage = choice
    }),
    ...webRoutes(),
  ]
  const handler = createRequestHandler({
    store,
    stats,
    faults,
    routes,
    plugin: handlePluginRequest,
    context: () => context,
    log,
  })
  // DNS rebinding: a web page on a name that resolves to this machine must not read the mailbox
  // or the files, so only this machine's own names for the sandbox are answered.
  let hostHeaders = new Set<string>()
  const server = createServer((req, res) => {
    if (!hostHeaders.has((req.headers.host ?? '').toLowerCase())) {
      req.resume()
      res.writeHead(421, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'unknown Host: use the sandbox URL' }))
      return
    }
    handler(req, res)
  })
  server.keepAliveTimeout = 5_000
  // Multi-GB chunks over a throttled link can take longer than Node's default 5 minutes.
  server.requestTimeout = 0
  const shaped = options.network !== undefined && !isUnlimited(options.network)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Behind a link proxy the server itself takes any free port; the proxy has the asked one.
    server.listen(shaped ? 0 : (options.port ?? 0), host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  let proxy: LinkProxy | undefined
  if (shaped) {
    proxy = await startLinkProxy(
      { host, port: (server.address() as AddressInfo).port },
      { host, port: options.port ?? 0 },
      options.network as LinkProfile,
    )
  }
  // Clients reach the proxy's port when there is one: that is the Host they send.
  const port = proxy?.port ?? (server.address() as AddressInfo).port
  hostHeaders = new Set(
    [host.includes(':') ? `[${host}]` : host, '127.0.0.1', 'localhost', '[::1]'].map(
      (name) => `${name}:${port}`,
    ),
  )
  store.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  store.save()
  worker.start()
  const context: SandboxContext = { baseUrl: store.baseUrl, clock, log, assets }

  const seed = state.seed
  const info: SandboxInfo = {
    url: store.baseUrl,
    org: seed.org,
    token: seed.token,
    readToken: seed.readToken,
    integrationToken: seed.integrationToken,
    boards: seed.boards.flatMap((t) => {
      const b = state.boards[t]
      return b ? [{ token: b.token, title: b.title }] : []
    }),
  }
  let closing: Promise<void> | undefined
  return {
    ...info,
    info,
    dataDir,
    context,
    close() {
      closing ??= (async () => {
        await worker.stop()
        await proxy?.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await store.flush()
        // Retried: a write the closed server had under way may still add a file as it ends.
        if (temporary) await rm(dataDir, { recursive: true, force: true, maxRetries: 5 })
      })()
      return closing
    },
  }
}
