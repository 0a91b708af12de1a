/**
 * The one implementation of the IPC contract over the `Engine`. Electron's IPC wrapper and the
 * headless host's WebSocket both serve exactly these handlers; neither has logic of its own. What
 * differs between hosts (native dialogs, the browser, where settings live) comes in as a platform.
 */
import { homedir } from 'node:os'
import { extname, isAbsolute, join, relative } from 'node:path'
import type { SessionState } from '../shared/account-models.ts'
import type {
  AppInfo,
  AppSettings,
  ContractHandlers,
  EmitEvent,
  FolderPurpose,
  InvokeRequest,
  PluginActivityItem,
} from '../shared/contract.ts'
import { magicLinkRedirectUri } from '../shared/contract.ts'
import type { JobSnapshot, QueueTotals } from '../shared/job-models.ts'
import type { UpdateStatus } from '../shared/update-models.ts'
import { assertNever } from '../shared/assert-never.ts'
import type { Engine, EngineEvent } from './engine-types.ts'
import type { PluginService } from './plugin-service.ts'
import { createFolderGrants, folderRefusal } from './path-intent.ts'

/** Dropped files jump ahead of background sync (mirrors the transfer queue's user priority). */
export const userPriority = 10

/** The production API, used when the renderer does not name one. */
export const productionApiUrl = 'https://api.playbook.com'

/** The server the engine is signed in to, or `fallback` (the one the app was started for). */
export function configuredApi(engine: Engine, fallback: string): string {
  const session = engine.session()
  return session.kind === 'signed-in' || session.kind === 'expired' ? session.apiUrl : fallback
}

/** Where settings live: electron-store in the app, a JSON file for the headless host. */
export interface SettingsPort {
  get(): AppSettings
  set(patch: Partial<AppSettings>): Promise<AppSettings>
}

/** What a renderer asked a folder for. */
export interface FolderRequest {
  readonly purpose: FolderPurpose
  /** The path the user typed (headless host); the app's dialog may start there. */
  readonly typed?: string
  readonly includeHidden?: boolean
}

/** What only the host can do; everything else is the engine's. */
export interface HandlerPlatform {
  readonly info: AppInfo
  readonly settings: SettingsPort
  /**
   * Asks the user for a folder (the native dialog, or a confirmation of `typed`) and returns the
   * path they agreed to, or null. With `includeHidden` the user must agree to hidden files too.
   */
  chooseFolder(request: FolderRequest): Promise<string | null>
  /** Opens an already validated http(s) URL in the user's browser. */
  openExternal(url: string): Promise<void>
  showLogs(): Promise<void>
  /** Paths of files streamed to the headless host's upload endpoint; throws for unknown ids. */
  stagedPaths(ids: readonly string[]): readonly string[]
  /** The plugin host switch (settings toggle, activity rows). */
  readonly plugins: PluginService
  /** The app's self-update (Electron); absent where the host updates another way. */
  readonly updates?: UpdatePort
  /**
   * Shows a file or folder in the file manager (Electron: shell.showItemInFolder / openPath).
   * Absent where there is none (the headless host): the renderer then shows the path.
   */
  revealPath?(path: string, isFolder: boolean): Promise<void>
}

/** Self-update as the handlers reach it (main's electron-updater wrapper). */
export interface UpdatePort {
  status(): UpdateStatus
  check(): Promise<UpdateStatus>
  /** Restarts into a downloaded update (asking first when uploads are running). */
  install(): Promise<void>
}

/** What a host without self-update answers. */
const noUpdates = {
  kind: 'disabled',
  reason: 'This copy updates with npm, not by itself.',
} as const satisfies UpdateStatus

const imageExtensions = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
])
const thumbnailMaxBytes = 256 * 1024 * 1024
const thumbnailCacheSize = 400

/**
 * The web page for a board or an asset. Assumed URL shapes: the sandbox serves its own board pages;
 * production boards live on www.playbook.com (isolated here so it is easy to change).
 */
export function playbookWebUrl(
  session: SessionState,
  board: string,
  org: string,
  asset?: string,
): string | null {
  if (session.kind !== 'signed-in' && session.kind !== 'expired') return null
  const api = new URL(session.apiUrl)
  const boardPart = `${encodeURIComponent(board)}${asset ? `?asset=${encodeURIComponent(asset)}` : ''}`
  if (api.hostname === 'api.playbook.com') {
    return `https://www.playbook.com/s/${encodeURIComponent(org)}/${boardPart}`
  }
  return `${api.origin}/boards/${boardPart}`
}

/**
 * A folder the user typed: `~` and `~/…` mean the home folder (as in a terminal); anything else
 * must be absolute (a relative path would depend on where the host was started).
 */
export function typedFolder(path: string, home = homedir()): string {
  const trimmed = path.trim()
  if (trimmed === '~') return home
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(home, trimmed.slice(2))
  if (!isAbsolute(trimmed))
    throw new Error(`Type the full path of the folder, starting with / or ~/ (got "${trimmed}")`)
  return trimmed
}

/**
 * Builds the handlers for every invoke channel over `engine`, with host specifics from `platform`.
 * `emit` (optional) tells renderers when settings change.
 */
export function createContractHandlers(
  engine: Engine,
  host: HandlerPlatform,
  emit?: EmitEvent,
): ContractHandlers {
  const platform: HandlerPlatform = {
    ...host,
    settings: {
      get: () => host.settings.get(),
      async set(patch) {
        // The engine takes the new values first (it refuses out-of-range ones in words), so a
        // stored setting is always one that runs; running uploads and pairs follow at once.
        applyLiveSettings(engine, patch)
        if (patch.ignorePatterns !== undefined) await engine.setSharedIgnore(patch.ignorePatterns)
        const next = await host.settings.set(patch)
        emit?.('settings:changed', next)
        return next
      },
    },
  }
  const thumbnails = new Map<string, string | null>()
  const folders = createFolderGrants()
  const refuseFolder = async (path: string) => {
    const refusal = await folderRefusal(path)
    if (refusal) throw new Error(refusal)
  }
  const pairOf = (id: string) => {
    const found = engine.pairs().find((p) => p.id === id)
    if (!found) throw new Error('That folder is no longer synced')
    return found
  }
  const job = (id: string): JobSnapshot => {
    const found = engine.jobs().find((j) => j.id === id)
    if (!found) throw new Error(`No job with id ${id}`)
    return found
  }
  const apiUrl = (given: string | undefined) => given ?? platform.info.defaultApiUrl
  const currentOrg = (): string => {
    const session = engine.session()
    if (session.kind === 'signed-in' && session.org) return session.org.slug
    throw new Error('Sign in and choose an organization first')
  }
  const rememberBoard = async (token: string) => {
    if (platform.settings.get().lastBoard?.token === token) return
    const boards = await engine.boards().catch(() => [])
    const title = boards.find((b) => b.token === token)?.title ?? token
    await platform.settings.set({ lastBoard: { token, title } })
  }

  return {
    'app:info': () => platform.info,

    'session:get': () => engine.session(),
    'session:sign-in-token': (req: InvokeRequest<'session:sign-in-token'>) =>
      engine.signInWithToken({ apiUrl: apiUrl(req.apiUrl), token: req.token, org: req.org }),
    'session:request-link': async (req) => {
      await engine.requestMagicLink({
        apiUrl: apiUrl(req.apiUrl),
        email: req.email,
        redirectUri: magicLinkRedirectUri,
      })
      return engine.session()
    },
    'session:complete-link': (req) => engine.completeMagicLink(req.link),
    'session:use-sandbox': () => engine.useSandbox(),
    'session:sign-out': async () => {
      await engine.signOut()
      return engine.session()
    },

    'orgs:list': () => engine.orgs(),
    'orgs:select': (req) => engine.selectOrg(req.slug),
    'boards:list': (req) => engine.boards(req.query || undefined),
    'boards:web-url': (req) => playbookWebUrl(engine.session(), req.board, currentOrg()),

    'jobs:snapshot': () => ({ jobs: engine.jobs(), totals: engine.totals() }),
    'jobs:pause': (req) => engine.pause(req.id),
    'jobs:resume': (req) => engine.resume(req.id),
    'jobs:cancel': (req) => engine.cancel(req.id),
    'jobs:retry': (req) => engine.retry(req.id),
    'jobs:thumbnail': async (req) => {
      if (thumbnails.has(req.id)) return thumbnails.get(req.id) ?? null
      const found = job(req.id)
      const source = found.source
      let url: string | null = null
      if (source.kind === 'url') {
        // A link drop shows the picture Playbook made of it, once its asset exists (until then
        // nothing is cached, so a later ask finds it).
        if (found.state.kind !== 'done') return null
        const bytes = await engine.assetPreview(req.id).catch(() => null)
        url = bytes === null ? null : await makeThumbnail(bytes).catch(() => null)
      } else if (
        source.kind === 'file' &&
        source.size <= thumbnailMaxBytes &&
        imageExtensions.has(extname(source.path).toLowerCase())
      ) {
        url = await makeThumbnail(source.path).catch(() => null)
      }
      if (thumbnails.size >= thumbnailCacheSize) {
        const oldest = thumbnails.keys().next().value
        if (oldest !== undefined) thumbnails.delete(oldest)
      }
      thumbnails.set(req.id, url)
      return url
    },
    'jobs:web-url': (req) => {
      const found = job(req.id)
      const asset = found.state.kind === 'done' ? found.state.assetToken : undefined
      return playbookWebUrl(engine.session(), found.board, found.org, asset)
    },

    'upload:paths': async (req) => {
      const ids = await engine.uploadPaths(req.paths, req.board, { priority: userPriority })
      await rememberBoard(req.board)
      return ids
    },
    'upload:staged': async (req) => {
      const paths = platform.stagedPaths(req.ids)
      const ids = await engine.uploadPaths(paths, req.board, { priority: userPriority })
      await rememberBoard(req.board)
      return ids
    },
    'upload:urls': async (req) => {
      const ids = await engine.uploadUrls(req.urls, req.board, { asLink: req.asLink })
      await rememberBoard(req.board)
      return ids
    },

    'pairs:list': () => engine.pairs(),
    'pairs:preview': (req) => {
      const grant = folders.resolve(req.folder, 'pair')
      return engine.previewFolder(
        grant.path,
        { ...pairSettingsFrom(platform.settings.get()), includeHidden: grant.includeHidden },
        req.board,
        req.mapping,
      )
    },
    'pairs:add': async (req) => {
      const grant = folders.resolve(req.folder, 'pair')
      if (req.settings?.includeHidden === true && !grant.includeHidden)
        throw new Error(
          'Hidden files are uploaded only when you agree to it while choosing the folder.',
        )
      const defaults = pairSettingsFrom(platform.settings.get())
      const settings = { ...defaults, ...req.settings, includeHidden: grant.includeHidden }
      const pair = await engine.addPair({
        folder: grant.path,
        board: req.board,
        boardTitle: req.boardTitle,
        settings,
        ...(req.mapping ? { mapping: req.mapping } : {}),
      })
      await platform.settings.set({
        lastBoard: { token: req.board, title: req.boardTitle ?? req.board },
      })
      return pair
    },
    'pairs:map': (req) => engine.mapPair(req.id, req.mapping),
    'pairs:map-preview': (req) => {
      // Only a folder the user already paired: its path comes from the pair, never the page.
      const pair = engine.pairs().find((p) => p.id === req.id)
      if (!pair) throw new Error('That folder is no longer synced')
      return engine.previewFolder(
        pair.folder,
        pair.settings,
        pair.board,
        req.mapping ?? pair.boardMap,
      )
    },
    'pairs:remove': (req) => engine.removePair(req.id),
    'pairs:update': (req) => engine.updatePair(req.id, req.settings),
    'pairs:pause': (req) => {
      engine.pausePair(pairOf(req.id).id)
      return pairOf(req.id)
    },
    'pairs:resume': (req) => {
      engine.resumePair(pairOf(req.id).id)
      return pairOf(req.id)
    },
    'pairs:sync-now': (req) => engine.syncNow(req.id),

    'status:overview': () => engine.overview(),
    'issues:list': (req) => engine.issues(req.pairId),
    'issues:retry': (req) => engine.retryIssues({ pairId: req.pairId, relPath: req.relPath }),
    'issues:skipped': (req) => engine.skipped(req.pairId),
    'issues:upload-anyway': (req) =>
      engine.uploadAnyway({ pairId: req.pairId, relPath: req.relPath }),
    'issues:reveal': async (req) => {
      const pair = engine.pairs().find((p) => p.id === req.pairId)
      if (!pair) throw new Error('That folder is no longer synced')
      const path =
        req.relPath === undefined ? pair.folder : join(pair.folder, ...req.relPath.split('/'))
      const rel = relative(pair.folder, path)
      if (rel.startsWith('..') || isAbsolute(rel)) throw new Error('That file is not in the folder')
      if (!platform.revealPath) return { path, opened: false }
      await platform.revealPath(path, req.relPath === undefined)
      return { path, opened: true }
    },

    'dialog:pick-folder': async (req) => {
      const includeHidden = req.purpose === 'pair' && req.includeHidden === true
      // Never ask the user about a folder that would be refused anyway.
      // A typed `~/…` means the home folder; a relative path is refused in words.
      const typed = req.typed === undefined ? undefined : typedFolder(req.typed)
      if (typed !== undefined) await refuseFolder(typed)
      const path = await platform.chooseFolder({
        purpose: req.purpose,
        includeHidden,
        ...(typed === undefined ? {} : { typed }),
      })
      if (path === null) return null
      await refuseFolder(path)
      return folders.grant({ path, purpose: req.purpose, includeHidden })
    },
    'settings:get': () => platform.settings.get(),
    'settings:set': (req) => platform.settings.set(req as Partial<AppSettings>),
    'shell:open-external': (req) => platform.openExternal(req.url),
    'shell:show-logs': () => platform.showLogs(),

    'plugins:get': () => platform.plugins.state(),
    'plugins:set': (req) => {
      const { dest, ...rest } = req
      const path = dest === undefined ? undefined : folders.take(dest, 'plugin-dest').path
      return platform.plugins.set({ ...rest, ...(path === undefined ? {} : { dest: path }) })
    },
    'plugins:items': () => platform.plugins.items(),

    'update:get': () => platform.updates?.status() ?? noUpdates,
    'update:check': () => platform.updates?.check() ?? noUpdates,
    'update:install': async () => {
      if (!platform.updates) throw new Error(noUpdates.reason)
      await platform.updates.install()
    },
  }
}

/**
 * Forwards the plugin service's events to renderers: status changes at once, item updates
 * coalesced (latest per item) a few times a second. Returns a function that stops forwarding.
 */
export function bridgePluginEvents(
  plugins: PluginService,
  emit: EmitEvent,
  progressIntervalMs = 150,
): () => void {
  const pending = new Map<string, PluginActivityItem>()
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    timer = null
    if (pending.size === 0) return
    emit('plugins:activity', [...pending.values()])
    pending.clear()
  }
  const unsubscribe = plugins.subscribe((event) => {
    switch (event.type) {
      case 'state':
        emit('plugins:changed', event.state)
        break
      case 'item':
        pending.set(event.item.id, event.item)
        timer ??= setTimeout(flush, progressIntervalMs)
        break
      default:
        assertNever(event, 'plugin service event')
    }
  })
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    timer = null
  }
}

/**
 * The pair settings the app-wide settings imply for a new folder: its change policy. The app's
 * ignore patterns are not copied: every pair applies them live on top of its own.
 */
function pairSettingsFrom(settings: AppSettings) {
  return { onChange: settings.onChange }
}

/** Hands the limits in a settings change to the running engine (throws when out of range). */
function applyLiveSettings(engine: Engine, patch: Partial<AppSettings>): void {
  const limits = {
    ...(patch.concurrency === undefined ? {} : { concurrency: patch.concurrency }),
    ...(patch.bandwidthLimit === undefined ? {} : { bwlimit: patch.bandwidthLimit }),
  }
  if (Object.keys(limits).length > 0) engine.setLimits(limits)
}

/** A 96 px WebP preview as a data: URL (sharp is loaded only when a preview is asked for). */
async function makeThumbnail(path: string | Uint8Array): Promise<string> {
  const { default: sharp } = await import('sharp')
  const out = await sharp(path, { limitInputPixels: 100_000_000 })
    .rotate()
    .resize(96, 96, { fit: 'cover' })
    .webp({ quality: 70 })
    .toBuffer()
  return `data:image/webp;base64,${out.toString('base64')}`
}

/** Options for `bridgeEngineEvents`. */
export interface BridgeOptions {
  /** How often batched progress and totals are sent (ms). */
  readonly progressIntervalMs?: number
  /** Called for every engine event after it was forwarded (tray, notifications). */
  readonly onEvent?: (event: EngineEvent) => void
}

/**
 * Forwards engine events to renderers as contract events. State changes go at once; progress and
 * totals are coalesced (latest per job) and sent a few times a second, so 10,000 busy jobs cannot
 * flood the renderer. Returns a function that stops forwarding.
 */
export function bridgeEngineEvents(
  engine: Engine,
  emit: EmitEvent,
  options: BridgeOptions = {},
): () => void {
  const interval = options.progressIntervalMs ?? 150
  const progress = new Map<string, JobSnapshot>()
  let totals: QueueTotals | null = null
  let totalsSentAt = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null

  const flush = () => {
    timer = null
    if (progress.size > 0) {
      emit('job:progress', [...progress.values()])
      progress.clear()
    }
    if (totals) {
      emit('totals:changed', totals)
      totals = null
      totalsSentAt = Date.now()
    }
  }
  const schedule = () => {
    if (!timer) timer = setTimeout(flush, interval)
  }
  // Totals go out at once when the last ones are old enough (so a finished job and the count
  // that includes it arrive together), otherwise with the next batch.
  const sendTotals = (next: QueueTotals) => {
    if (!timer && Date.now() - totalsSentAt >= interval) {
      emit('totals:changed', next)
      totalsSentAt = Date.now()
      return
    }
    totals = next
    schedule()
  }

  const unsubscribe = engine.subscribe((event) => {
    switch (event.type) {
      case 'session':
        emit('session:changed', event.session)
        break
      case 'job':
        progress.delete(event.job.id)
        emit('job:changed', event.job)
        break
      case 'job-progress':
        progress.set(event.job.id, event.job)
        schedule()
        break
      case 'totals':
        sendTotals(event.totals)
        break
      case 'pair':
        emit('pair:changed', event.pair)
        break
      case 'pair-removed':
        emit('pair:removed', { id: event.pairId })
        break
      case 'overview':
        emit('overview:changed', event.overview)
        break
      case 'notice':
        emit('notice', { level: event.level, message: event.message })
        break
      default:
        assertNever(event, 'engine event')
    }
    options.onEvent?.(event)
  })
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    timer = null
  }
}
