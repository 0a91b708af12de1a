/**
 * The desktop app's switch for the plugin host: starts and stops `startPluginHost` from settings
 * (enabled, port, destination folder, a secret made once and kept), reports its status, and keeps
 * every plugin item of this run for the activity list across restarts of the host. Plain Node, so
 * Electron main and the headless host share it.
 */
import { isAbsolute } from 'node:path'
import type { PluginActivityItem, PluginHostStatus, PluginsState } from '../shared/contract.ts'
import { pluginsPatchSchema } from '../shared/contract.ts'
import type { Logger } from './engine-types.ts'
import { folderRefusal } from './path-intent.ts'
import { generateSecret, startPluginHost } from './plugins/index.ts'
import type { PluginHost, PluginHostOptions } from './plugins/index.ts'

/** What is stored about the plugin host. The secret never leaves the host except inside URLs. */
export interface PluginSettings {
  readonly enabled: boolean
  readonly port: number
  readonly dest: string
  readonly secret: string
}

/** Where plugin settings live: electron-store in the app, a JSON file for the headless host. */
export interface PluginSettingsPort {
  /** The stored values, or null for a fresh install. Partial or invalid values are repaired. */
  load(): Promise<Partial<PluginSettings> | null>
  save(settings: PluginSettings): Promise<void>
}

/** What the service tells its owner (who forwards it to renderers). */
export type PluginServiceEvent =
  | { readonly type: 'state'; readonly state: PluginsState }
  | { readonly type: 'item'; readonly item: PluginActivityItem }

/** How to make a plugin service. */
export interface PluginServiceOptions {
  readonly settings: PluginSettingsPort
  /** The destination folder when none is stored (e.g. ~/Downloads/Playbook). */
  readonly defaultDest: string
  /** The host's ledger and partial downloads (kept out of the user's folder). */
  readonly stateDir?: string
  readonly log?: Logger
  /** The configured Playbook API (the plugin host talks to its host and Playbook's only). */
  readonly apiUrl?: () => string
  /** Replaces `startPluginHost` (tests that need a host that fails to start). */
  readonly startHost?: (options: PluginHostOptions) => Promise<PluginHost>
}

/** The running switch. */
export interface PluginService {
  state(): PluginsState
  items(): readonly PluginActivityItem[]
  /** Validates and applies a change, (re)starting or stopping the host; resolves when settled. */
  set(patch: unknown): Promise<PluginsState>
  subscribe(listener: (event: PluginServiceEvent) => void): () => void
  /** Resolves when no invocation is being worked on (tests, quitting). */
  idle(): Promise<void>
  /** Stops the host; the service cannot start again. */
  close(): Promise<void>
}

const secretPattern = /^[A-Za-z0-9_-]{16,256}$/
/** How many plugin items a run keeps for the activity list. */
const maxItems = 10_000
const quiet: Logger = { info() {}, warn() {}, error() {} }

/** Fills in and repairs stored settings field by field. */
function repair(stored: Partial<PluginSettings> | null, defaultDest: string): PluginSettings {
  const s = stored ?? {}
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : false,
    port:
      typeof s.port === 'number' && Number.isInteger(s.port) && s.port >= 0 && s.port <= 65_535
        ? s.port
        : 0,
    dest: typeof s.dest === 'string' && isAbsolute(s.dest) ? s.dest : defaultDest,
    secret:
      typeof s.secret === 'string' && secretPattern.test(s.secret) ? s.secret : generateSecret(),
  }
}

/**
 * Loads the settings (making and saving the secret the first time), starts the host if it was
 * left enabled, and resolves with the service. A host that cannot start is an `error` status,
 * never a thrown error: the app runs on without it.
 */
export async function createPluginService(options: PluginServiceOptions): Promise<PluginService> {
  const log = options.log ?? quiet
  const start = options.startHost ?? startPluginHost
  const stored = await options.settings.load().catch((error: unknown) => {
    log.warn('plugin settings unreadable; using defaults', { error: String(error) })
    return null
  })
  let settings = repair(stored, options.defaultDest)
  // A destination nobody could choose now (a dot-folder such as ~/.config/autostart, the home
  // folder, the disk) was not the user's intent: back to the default, said in the log.
  if (settings.dest !== options.defaultDest) {
    const refusal = await folderRefusal(settings.dest)
    if (refusal) {
      log.warn('plugin destination refused; using the default folder', { reason: refusal })
      settings = { ...settings, dest: options.defaultDest }
    }
  }
  if (JSON.stringify(settings) !== JSON.stringify(stored)) {
    // A settings file that cannot be written must not stop the app from starting.
    await options.settings.save(settings).catch((error: unknown) => {
      log.warn('plugin settings could not be saved', { error: String(error) })
    })
  }

  let status: PluginHostStatus = { kind: 'off' }
  let host: PluginHost | null = null
  let unsubscribeHost: (() => void) | null = null
  let closed = false
  const items = new Map<string, PluginActivityItem>()
  const listeners = new Set<(event: PluginServiceEvent) => void>()

  const state = (): PluginsState => ({
    enabled: settings.enabled,
    port: settings.port,
    dest: settings.dest,
    status,
  })
  const emit = (event: PluginServiceEvent) => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (error) {
        log.error('plugin service listener threw', { error: String(error) })
      }
    }
  }
  const setStatus = (next: PluginHostStatus) => {
    status = next
    emit({ type: 'state', state: state() })
  }

  const stop = async () => {
    const running = host
    host = null
    unsubscribeHost?.()
    unsubscribeHost = null
    if (running) await running.close()
  }
  const launch = async () => {
    setStatus({ kind: 'starting' })
    try {
      const started = await start({
        port: settings.port,
        secret: settings.secret,
        dest: settings.dest,
        ...(options.stateDir ? { stateDir: options.stateDir } : {}),
        ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
        log,
      })
      host = started
      unsubscribeHost = started.subscribe((event) => {
        if (event.type !== 'item') return
        items.delete(event.item.id)
        items.set(event.item.id, event.item)
        // A long run keeps the latest items only (oldest updated first out).
        if (items.size > maxItems) {
          const oldest = items.keys().next().value
          if (oldest !== undefined) items.delete(oldest)
        }
        emit({ type: 'item', item: event.item })
      })
      log.info('plugin host on', { port: started.port })
      setStatus({ kind: 'on', port: started.port, urls: { ...started.urls } })
    } catch (error) {
      const message = (error as Error).message
      log.warn('plugin host could not start', { error: message })
      setStatus({ kind: 'error', message: `Could not start the plugin host: ${message}` })
    }
  }

  // One change at a time: a toggle clicked twice never starts two hosts.
  let chain: Promise<unknown> = Promise.resolve()
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = chain.then(task, task)
    chain = next.catch(() => {})
    return next
  }

  if (settings.enabled) await launch()

  return {
    state,
    items: () => [...items.values()].sort((a, b) => a.updatedAt - b.updatedAt),
    set(patch) {
      const parsed = pluginsPatchSchema.safeParse(patch)
      if (!parsed.success) {
        const issues = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
          .join('; ')
        return Promise.reject(new Error(`plugins: invalid settings: ${issues}`))
      }
      const change = parsed.data
      return serial(async () => {
        if (closed) throw new Error('plugins: the app is closing')
        const next: PluginSettings = {
          ...settings,
          ...(change.enabled === undefined ? {} : { enabled: change.enabled }),
          ...(change.port === undefined ? {} : { port: change.port }),
          ...(change.dest === undefined ? {} : { dest: change.dest }),
        }
        const moved = next.port !== settings.port || next.dest !== settings.dest
        const restart = next.enabled && (moved || status.kind !== 'on')
        settings = next
        await options.settings.save(settings)
        if (!next.enabled) {
          await stop()
          setStatus({ kind: 'off' })
        } else if (restart) {
          await stop()
          await launch()
        } else {
          emit({ type: 'state', state: state() })
        }
        return state()
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async idle() {
      await chain
      await host?.idle()
    },
    close() {
      return serial(async () => {
        closed = true
        await stop()
        status = { kind: 'off' }
        listeners.clear()
      })
    },
  }
}
