/**
 * The headless host: serves the built renderer to a browser on loopback and carries the IPC
 * contract over a WebSocket to the same engine and the same handlers Electron uses. Dropped files
 * arrive as HTTP PUTs guarded by a per-session secret and are queued with user priority.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  isInvokeChannel,
  maxMessageBytes,
  parseRequest,
  uploadSecretHeader,
  wirePaths,
  type AppInfo,
  type ClientMessage,
  type ContractHandlers,
  type EmitEvent,
  type ServerMessage,
} from '../shared/contract.ts'
import {
  bridgeEngineEvents,
  bridgePluginEvents,
  configuredApi,
  createContractHandlers,
  productionApiUrl,
  type FolderRequest,
  type SettingsPort,
} from '../engine/contract-handlers.ts'
import { plainText } from '../shared/plain-text.ts'
import { createEngine } from '../engine/app.ts'
import type { Engine, EnginePorts, Logger } from '../engine/engine-types.ts'
import { loadFirstScreen } from '../engine/first-screen.ts'
import { createPluginService, type PluginService } from '../engine/plugin-service.ts'
import { memorySettings } from './host-settings.ts'
import { memoryPluginSettings } from './plugin-settings.ts'
import { createLaunchAuth, launchKeyParam, sameSecret, type LaunchAuth } from './launch-auth.ts'
import { serveFirstScreenPage } from './first-screen-page.ts'
import { securityHeaders, serveStatic } from './static-files.ts'
import { createUploadStaging, UploadTooLargeError } from './upload-staging.ts'

/** The largest file a browser may stream to the host by default (Playbook's own limit is lower). */
export const defaultMaxUploadBytes = 50 * 1024 ** 3

/** What the host needs: an engine (or the ports to make one), the built renderer, settings. */
export type HostOptions = HostCommonOptions &
  (
    | { readonly engine: Engine; readonly enginePorts?: undefined }
    | { readonly enginePorts: EnginePorts; readonly engine?: undefined }
  )

/** Options every host takes. */
export interface HostCommonOptions {
  /** 0 (the default) picks a free port. The host always binds 127.0.0.1. */
  readonly port?: number
  /** The built renderer folder (out/renderer). */
  readonly rendererDir: string
  readonly settings?: SettingsPort
  /** The API the sign-in form starts with. */
  readonly defaultApiUrl?: string
  readonly version?: string
  /** Opens URLs the renderer asks for; a headless host has no browser of its own by default. */
  readonly openExternal?: (url: string) => Promise<void>
  /**
   * The plugin host switch; the caller keeps ownership. Without one, the host makes an in-memory
   * one (off, saving into ~/Downloads/Playbook) and closes it on `close()`.
   */
  readonly plugins?: PluginService
  /**
   * Asks the person running the host a yes/no question (its terminal): folders typed in the page
   * are used only after a yes. Without it, the page cannot choose folders at all.
   */
  readonly confirm?: (question: string) => Promise<boolean>
  /** The largest dropped file the upload endpoint takes (bytes); larger ones get 413. */
  readonly maxUploadBytes?: number
  /** Where the host tells what went wrong beside a request (the engine's log by default). */
  readonly log?: Logger
}

/** A running host. */
export interface RunningHost {
  /** The URL to print and open: the only way in (it carries this launch's key). */
  readonly url: string
  /** `http://127.0.0.1:<port>`, without the key. */
  readonly origin: string
  readonly port: number
  readonly engine: Engine
  close(): Promise<void>
}

/**
 * Starts the host on loopback; resolves once it listens. Given `enginePorts`, it creates the
 * engine and closes it on `close()`; a given `engine` stays the caller's.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const ownsEngine = options.engine === undefined
  // Loaded while the engine starts (the drawing's import is not on start-up's path).
  const loadingFirstScreen = loadFirstScreen(
    options.rendererDir,
    options.log ?? options.enginePorts?.log,
  )
  const engine = options.engine ?? (await createEngine(options.enginePorts))
  const staging = await createUploadStaging()
  const uploadSecret = randomBytes(32).toString('base64url')
  const maxUploadBytes = options.maxUploadBytes ?? defaultMaxUploadBytes
  const settings = options.settings ?? memorySettings()
  const ownsPlugins = options.plugins === undefined
  const plugins =
    options.plugins ??
    (await createPluginService({
      settings: memoryPluginSettings(),
      defaultDest: join(homedir(), 'Downloads', 'Playbook'),
      apiUrl: () => configuredApi(engine, options.defaultApiUrl ?? productionApiUrl),
    }))
  const info: AppInfo = {
    name: 'Playbook Sync',
    version: options.version ?? '0.0.0',
    platform: process.platform,
    host: 'headless',
    defaultApiUrl: options.defaultApiUrl ?? productionApiUrl,
  }
  const sockets = new Set<WebSocket>()
  const send = (socket: WebSocket, message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
  }
  const emit: EmitEvent = (channel, payload) => {
    for (const socket of sockets) send(socket, { type: 'event', channel, payload })
  }
  // The page comes with its first screen drawn in, when the drawing was built (out/first-screen).
  const firstScreen = await loadingFirstScreen
  const handlers = createContractHandlers(
    engine,
    {
      info,
      ...(firstScreen ? { firstScreen } : {}),
      settings,
      chooseFolder: (request) => confirmTypedFolder(request, options.confirm),
      openExternal: options.openExternal ?? (async () => {}),
      showLogs: async () => {},
      stagedPaths: (ids) => staging.paths(ids),
      plugins,
    },
    emit,
  )
  // A browser page names no local paths: it streams dropped files to the upload endpoint. Taking
  // paths from it would let a script that got into the page upload any file on this machine.
  const socketHandlers: ContractHandlers = {
    ...handlers,
    'upload:paths': () => {
      throw new Error('upload:paths: not available in the browser; drop the files instead')
    },
  }
  const stopBridge = bridgeEngineEvents(engine, emit, {
    // A dropped file's staged copy goes once its upload is over (kept while a retry may need it).
    onEvent: (event) => {
      if (event.type !== 'job' || event.job.source.kind !== 'file') return
      if (event.job.state.kind === 'done' || event.job.state.kind === 'cancelled') {
        // Make (and cache) its preview first: the activity list may ask for it later.
        const path = event.job.source.path
        void Promise.resolve(handlers['jobs:thumbnail']({ id: event.job.id }))
          .catch(() => null)
          .then(() => staging.release(path))
      }
    },
  })

  const stopPluginBridge = bridgePluginEvents(plugins, emit)

  let port = 0
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`))
  // DNS rebinding: only our own host names; cross-site pages: only our own origin.
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '')
  const originOk = (req: IncomingMessage, required: boolean) => {
    const origin = req.headers.origin
    return origin === undefined ? !required : allowedOrigins().has(origin)
  }

  const auth: LaunchAuth = createLaunchAuth()
  const server = createServer((req, res) => {
    if (!hostOk(req)) return void res.writeHead(421, securityHeaders).end()
    const url = requestUrl(req)
    if (url === undefined) return void res.writeHead(400, securityHeaders).end()
    // The printed URL's key buys the cookie, then a clean address (the key leaves the address bar).
    const key = url.searchParams.get(launchKeyParam)
    if (key !== null && req.method === 'GET' && url.pathname === '/' && auth.keyMatches(key)) {
      return void res
        .writeHead(303, { ...securityHeaders, 'set-cookie': auth.setCookie, location: '/' })
        .end()
    }
    // Nothing (not even the page) before the cookie is checked.
    if (!auth.hasCookie(req)) {
      req.resume()
      return void res
        .writeHead(401, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' })
        .end('Open the address Playbook Sync printed when it started (it carries a key).\n')
    }
    const path = url.pathname
    if (path === wirePaths.upload) return void receiveUpload(req, res)
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      return void serveFirstScreenPage(
        options.rendererDir,
        () => Promise.resolve(handlers['first-screen:draw'](undefined)),
        res,
      ).then(async (served) => {
        if (!served) await serveStatic(options.rendererDir, req, res)
      })
    }
    void serveStatic(options.rendererDir, req, res)
  })

  const receiveUpload = async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: object) =>
      res
        .writeHead(status, { ...securityHeaders, 'content-type': 'application/json' })
        .end(JSON.stringify(body))
    if (req.method !== 'PUT') return reply(405, { error: 'use PUT' })
    if (
      !originOk(req, false) ||
      !sameSecret(headerValue(req.headers[uploadSecretHeader]), uploadSecret)
    ) {
      req.resume()
      return reply(403, { error: 'upload refused: wrong origin or secret' })
    }
    const refuse = (status: number, body: object) => {
      req.resume()
      reply(status, body)
    }
    const name = requestUrl(req)?.searchParams.get('name') ?? ''
    if (name === '' || name.length > 1000 || name.includes('\0'))
      return refuse(400, { error: 'name: required, at most 1000 characters, no NUL' })
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxUploadBytes)
      return refuse(413, { error: `file: larger than ${maxUploadBytes} bytes` })
    try {
      const id = await staging.receive(name, req, maxUploadBytes)
      reply(201, { id })
    } catch (error) {
      if (error instanceof UploadTooLargeError) {
        // Stop reading: the rest of the body is not wanted.
        res.setHeader('connection', 'close')
        return reply(413, { error: `file: ${error.message}` })
      }
      reply(500, { error: `upload failed: ${(error as Error).message}` })
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = requestUrl(req)?.pathname
    if (path !== wirePaths.socket || !hostOk(req) || !originOk(req, true) || !auth.hasCookie(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('error', () => sockets.delete(ws))
      ws.on('message', (data, isBinary) => {
        if (isBinary) return void ws.close(1003, 'text only')
        // A reply that cannot be sent (say, a value JSON cannot carry) closes this socket only.
        answer(socketHandlers, ws, data.toString(), send).catch(() =>
          ws.close(1011, 'internal error'),
        )
      })
      send(ws, { type: 'hello', uploadSecret })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/?${launchKeyParam}=${auth.key}`,
    origin,
    port,
    engine,
    async close() {
      stopBridge()
      stopPluginBridge()
      if (ownsPlugins) await plugins.close()
      for (const socket of sockets) socket.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await staging.close()
      if (ownsEngine) await engine.close()
    },
  }
}

/**
 * The headless host's folder choice: the page can only type a path, so the person who started the
 * host confirms it where the page cannot answer for them (the terminal).
 */
async function confirmTypedFolder(
  request: FolderRequest,
  confirm: ((question: string) => Promise<boolean>) | undefined,
): Promise<string | null> {
  if (request.typed === undefined)
    throw new Error('Type the folder path: the browser cannot see this computer’s folders.')
  if (!confirm)
    throw new Error('This Playbook Sync host cannot ask for confirmation, so it takes no folders.')
  const path = plainText(request.typed)
  const question =
    request.purpose === 'pair'
      ? `The browser asks to sync ${path}${request.includeHidden ? ' (hidden files included)' : ''} to Playbook.`
      : `The browser asks to let Playbook plugins save files into ${path}.`
  return (await confirm(question)) ? request.typed : null
}

/** The request's URL, or undefined when it does not parse (`GET //[` must not crash the host). */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://host')
  } catch {
    return undefined
  }
}

/** One header's value; repeated headers count as absent. */
function headerValue(given: string | string[] | undefined): string | null {
  return typeof given === 'string' ? given : null
}

/** Validates one untrusted socket message, runs its handler and sends the result. */
async function answer(
  handlers: ContractHandlers,
  ws: WebSocket,
  raw: string,
  send: (socket: WebSocket, message: ServerMessage) => void,
): Promise<void> {
  let message: ClientMessage
  try {
    message = JSON.parse(raw) as ClientMessage
  } catch {
    return void ws.close(1007, 'invalid JSON')
  }
  if (
    typeof message !== 'object' ||
    message === null ||
    message.type !== 'invoke' ||
    !Number.isSafeInteger(message.id) ||
    typeof message.channel !== 'string'
  ) {
    return void ws.close(1008, 'invalid message')
  }
  const { id, channel } = message
  try {
    if (!isInvokeChannel(channel)) throw new Error(`Unknown channel ${channel.slice(0, 100)}`)
    const request = parseRequest(channel, message.payload)
    const handler = handlers[channel] as (payload: unknown) => unknown
    const value = await handler(request)
    send(ws, { type: 'result', id, ok: true, value })
  } catch (error) {
    send(ws, { type: 'result', id, ok: false, error: (error as Error).message })
  }
}
