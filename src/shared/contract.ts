/**
 * The one IPC contract between the renderer and the engine's host (Electron main, or the headless
 * host over a WebSocket). Hosts validate every request with these schemas; the preload and the
 * browser client build `window.playbook` from it, so the types cannot drift. The channel maps live
 * here; the shapes (contract-models.ts), the field and feature schemas (contract-fields.ts,
 * contract-settings.ts, contract-pairs.ts) and the wire format (contract-wire.ts) are its parts.
 */
import { z } from 'zod'
import type { Board, Org, SessionState } from './account-models.ts'
import type { JobSnapshot, QueueTotals } from './job-models.ts'
import type { PairPreview, PairSnapshot } from './pair-models.ts'
import type { UpdateStatus } from './update-models.ts'
import type { SkippedFile, SyncIssue, SyncOverview } from './sync-status-models.ts'
import type {
  AppInfo,
  AppSettings,
  DroppedFile,
  FolderChoice,
  JobsSnapshot,
  Notice,
  PluginActivityItem,
  PluginsState,
} from './contract-models.ts'
import {
  apiUrlSchema,
  boardToken,
  folderHandle,
  httpUrl,
  id,
  isHumanMessage,
  localPath,
  none,
  text,
} from './contract-fields.ts'
import { pluginsRequestSchema, settingsPatchSchema } from './contract-settings.ts'
import { boardMappingSchema, pairSettingsSchema } from './contract-pairs.ts'

export type { UpdateStatus } from './update-models.ts'
export type { PluginItemState, PluginName } from './plugin-models.ts'
export {
  defaultSettings,
  maxFilesAtOnce,
  type AppInfo,
  type AppSettings,
  type DroppedFile,
  type FolderChoice,
  type FolderPurpose,
  type JobsSnapshot,
  type Notice,
  type PluginActivityItem,
  type PluginHostStatus,
  type PluginsState,
} from './contract-models.ts'
export { pluginsPatchSchema, settingsPatchSchema } from './contract-settings.ts'

/** Declares an invoke channel: the response's type (phantom), then the request's schema. */
function invoke<Res>() {
  return <Req extends z.ZodType>(
    request: Req,
  ): { readonly request: Req; readonly response: Res } => ({
    request,
    response: undefined as Res,
  })
}

/** Declares an event channel carrying one payload type (phantom). */
function event<Payload>(): { readonly payload: Payload } {
  return { payload: undefined as Payload }
}

/** Renderer → host calls. */
export const invokeChannels = {
  'app:info': invoke<AppInfo>()(none),
  /**
   * The first screen as HTML, for Electron's preload to place before the renderer has loaded,
   * drawn for a window `viewHeight` pixels tall (its rows and no more).
   */
  'first-screen:draw': invoke<string | null>()(
    z.strictObject({ viewHeight: z.number().int().min(0).max(20_000).optional() }).optional(),
  ),

  'session:get': invoke<SessionState>()(none),
  'session:sign-in-token': invoke<SessionState>()(
    z.strictObject({
      apiUrl: apiUrlSchema.optional(),
      token: text(4096),
      org: text(200).optional(),
    }),
  ),
  'session:request-link': invoke<SessionState>()(
    z.strictObject({ apiUrl: apiUrlSchema.optional(), email: z.email().max(320) }),
  ),
  'session:complete-link': invoke<SessionState>()(z.strictObject({ link: text(4096) })),
  'session:use-sandbox': invoke<SessionState>()(none),
  'session:sign-out': invoke<SessionState>()(none),

  'orgs:list': invoke<readonly Org[]>()(none),
  'orgs:select': invoke<SessionState>()(z.strictObject({ slug: text(200) })),
  'boards:list': invoke<readonly Board[]>()(
    z.strictObject({ query: z.string().max(200).optional() }),
  ),
  /** The board's page in Playbook (the renderer opens it), or null when not signed in. */
  'boards:web-url': invoke<string | null>()(z.strictObject({ board: boardToken })),

  /**
   * Every job, or with `newest` only the newest that many (newest first): a start-up's first
   * screen asks for the rows it can show, then for the rest once it is painted.
   */
  'jobs:snapshot': invoke<JobsSnapshot>()(
    z.strictObject({ newest: z.number().int().min(1).max(10_000).optional() }),
  ),
  'jobs:pause': invoke<void>()(z.strictObject({ id: id.optional() })),
  'jobs:resume': invoke<void>()(z.strictObject({ id: id.optional() })),
  'jobs:cancel': invoke<void>()(z.strictObject({ id })),
  'jobs:retry': invoke<void>()(z.strictObject({ id: id.optional() })),
  /** A small data: URL preview of an image job's file, or null. */
  'jobs:thumbnail': invoke<string | null>()(z.strictObject({ id })),
  /** The page of a job's asset (or its board, until done) in Playbook, or null. */
  'jobs:web-url': invoke<string | null>()(z.strictObject({ id })),

  /** Electron: files and folders by path (dropped, or chosen). Dropped files jump the queue. */
  'upload:paths': invoke<readonly string[]>()(
    z.strictObject({ paths: z.array(localPath).min(1).max(10_000), board: boardToken }),
  ),
  /** Headless host: files the browser streamed to the host's upload endpoint, by their ids. */
  'upload:staged': invoke<readonly string[]>()(
    z.strictObject({ ids: z.array(id).min(1).max(10_000), board: boardToken }),
  ),
  /** Links and images dragged from a browser or pasted: URL ingest. */
  'upload:urls': invoke<readonly string[]>()(
    z.strictObject({
      urls: z.array(httpUrl).min(1).max(100),
      board: boardToken,
      asLink: z.boolean().optional(),
    }),
  ),

  'pairs:list': invoke<readonly PairSnapshot[]>()(none),
  /** `folder` is a handle from `dialog:pick-folder` (purpose `pair`); `board`: count what it holds. */
  'pairs:preview': invoke<PairPreview>()(
    z.strictObject({
      folder: folderHandle,
      board: boardToken.optional(),
      /** Lays the tree out under this mapping (default: sub-folders as child boards). */
      mapping: boardMappingSchema.optional(),
    }),
  ),
  /** `folder` is a handle; `includeHidden` only when the user agreed to it in that choice. */
  'pairs:add': invoke<PairSnapshot>()(
    z.strictObject({
      folder: folderHandle,
      board: boardToken,
      boardTitle: z.string().max(500).optional(),
      settings: pairSettingsSchema.optional(),
      mapping: boardMappingSchema.optional(),
    }),
  ),
  /** A synced folder's tree as a board tree under `mapping` (default: its own), for editing it. */
  'pairs:map-preview': invoke<PairPreview>()(
    z.strictObject({ id, mapping: boardMappingSchema.optional() }),
  ),
  /** Changes where a pair's sub-folders go (the mapping editor, later). */
  'pairs:map': invoke<PairSnapshot>()(z.strictObject({ id, mapping: boardMappingSchema })),
  'pairs:remove': invoke<void>()(z.strictObject({ id })),
  /**
   * Changes one pair's settings while it runs (the next scan applies them); hidden files are
   * chosen only with the folder, so `includeHidden` is not among them.
   */
  'pairs:update': invoke<PairSnapshot>()(
    z.strictObject({ id, settings: pairSettingsSchema.omit({ includeHidden: true }) }),
  ),
  /** Stops one pair (its watching and its uploads) until resumed; other pairs go on. */
  'pairs:pause': invoke<PairSnapshot>()(z.strictObject({ id })),
  'pairs:resume': invoke<PairSnapshot>()(z.strictObject({ id })),
  'pairs:sync-now': invoke<void>()(z.strictObject({ id: id.optional() })),

  /** The one overall status (the sidebar, folder cards, tray and CLI show the same). */
  'status:overview': invoke<SyncOverview>()(none),
  /** Files that need attention (one folder's, or all), with reasons in plain words. */
  'issues:list': invoke<readonly SyncIssue[]>()(z.strictObject({ pairId: id.optional() })),
  /** Brings issues back (one file, one folder's, or all); returns how many were retried. */
  'issues:retry': invoke<number>()(
    z.strictObject({ pairId: id.optional(), relPath: localPath.optional() }),
  ),
  /** Files skipped on purpose (one folder's, or all), each with the rule or file that explains it. */
  'issues:skipped': invoke<readonly SkippedFile[]>()(z.strictObject({ pairId: id.optional() })),
  /** Queues a skipped file once with force ("Upload anyway"); returns its job id. */
  'issues:upload-anyway': invoke<string>()(z.strictObject({ pairId: id, relPath: localPath })),
  /**
   * Shows a paired file (or the pair's folder) in the file manager. Only paths inside a pair are
   * accepted; `opened` is false where there is no file manager (the headless host), with the path.
   */
  'issues:reveal': invoke<{ readonly path: string; readonly opened: boolean }>()(
    z.strictObject({ pairId: id, relPath: localPath.optional() }),
  ),

  /**
   * Asks the user for a folder: the native dialog in Electron, a confirmation in the terminal of
   * the headless host (which needs `typed`). Null when the user said no.
   */
  'dialog:pick-folder': invoke<FolderChoice | null>()(
    z.strictObject({
      purpose: z.enum(['pair', 'plugin-dest']),
      typed: localPath.optional(),
      includeHidden: z.boolean().optional(),
    }),
  ),
  'settings:get': invoke<AppSettings>()(none),
  'settings:set': invoke<AppSettings>()(settingsPatchSchema),
  /** Opens an http(s) URL in the user's browser; anything else is refused. */
  'shell:open-external': invoke<void>()(z.strictObject({ url: httpUrl })),
  /** Electron: reveals the log file. */
  'shell:show-logs': invoke<void>()(none),

  /** The plugin host's settings, status and invocation URLs. */
  'plugins:get': invoke<PluginsState>()(none),
  /** Turns the plugin host on or off, or moves it (port, destination folder). */
  'plugins:set': invoke<PluginsState>()(pluginsRequestSchema),
  /** Every plugin item this run has seen, oldest first. */
  'plugins:items': invoke<readonly PluginActivityItem[]>()(none),

  /** Where the app's self-update stands (disabled in development and in the headless host). */
  'update:get': invoke<UpdateStatus>()(none),
  /** Checks for an update now; it downloads in the background when there is one. */
  'update:check': invoke<UpdateStatus>()(none),
  /** "Restart to update": asks first when uploads are running, then restarts into the update. */
  'update:install': invoke<void>()(none),
} as const

/** Host → renderer pushes. */
export const eventChannels = {
  'session:changed': event<SessionState>(),
  /** One per job state change (added, moved on, finished, failed). */
  'job:changed': event<JobSnapshot>(),
  /** Progress of running jobs, batched: at most a few messages per second whatever the job count. */
  'job:progress': event<readonly JobSnapshot[]>(),
  'totals:changed': event<QueueTotals>(),
  'pair:changed': event<PairSnapshot>(),
  'pair:removed': event<{ readonly id: string }>(),
  /** The overall status changed. */
  'overview:changed': event<SyncOverview>(),
  notice: event<Notice>(),
  /** Settings changed (by the renderer, the tray, or a handler remembering the last board). */
  'settings:changed': event<AppSettings>(),
  /** The plugin host started, stopped, failed, or its settings changed. */
  'plugins:changed': event<PluginsState>(),
  /** Plugin items that changed, batched (latest per item). */
  'plugins:activity': event<readonly PluginActivityItem[]>(),
  /** The self-update moved on (checking, downloading, ready to restart, failed). */
  'update:changed': event<UpdateStatus>(),
} as const

/** The name of a renderer → host call. */
export type InvokeChannel = keyof typeof invokeChannels
/** What the renderer sends on a channel (before validation). */
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>
/** What the host answers on a channel. */
export type InvokeResponse<C extends InvokeChannel> = (typeof invokeChannels)[C]['response']
/** The name of a host → renderer push. */
export type EventChannel = keyof typeof eventChannels
/** What an event carries. */
export type EventPayload<E extends EventChannel> = (typeof eventChannels)[E]['payload']

/** One implementation per invoke channel; Electron's IPC wrapper and the headless host serve the same. */
export type ContractHandlers = {
  readonly [C in InvokeChannel]: (
    payload: InvokeRequest<C>,
  ) => Promise<InvokeResponse<C>> | InvokeResponse<C>
}

/** Sends one typed event to every connected renderer. */
export type EmitEvent = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void

/** How calls and events travel: Electron IPC in the app, a WebSocket in the headless host. */
export interface ContractTransport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void
  /**
   * Hands dropped files to the host and queues them with user priority on `board`: by path in
   * Electron, by streaming their bytes to the host's upload endpoint in the headless host.
   * Optional: a transport without it cannot take dropped files.
   */
  sendFiles?(files: readonly DroppedFile[], board: string): Promise<readonly string[]>
}

// The API built on a transport lives in a module without the schemas (the renderer and the
// preload load no validator): re-exported here for everything that reads the contract.
export { createPlaybookApi, type PlaybookApi } from './contract-api.ts'

/** True when `channel` is a known invoke channel (untrusted strings from a socket or IPC). */
export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(invokeChannels, channel)
}

/** True when `channel` is a known event channel. */
export function isEventChannel(channel: string): channel is EventChannel {
  return Object.hasOwn(eventChannels, channel)
}

/** Validates an untrusted request for `channel`; throws an error naming the channel and field. */
export function parseRequest<C extends InvokeChannel>(channel: C, raw: unknown): InvokeRequest<C> {
  const parsed = invokeChannels[channel].request.safeParse(raw)
  if (!parsed.success) {
    const words = parsed.error.issues.map((issue) => issue.message)
    if (words.every((message) => isHumanMessage(message)))
      throw new Error(`${channel}: refused: ${[...new Set(words)].join('; ')}`)
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
      .join('; ')
    throw new Error(`${channel}: invalid request: ${issues}`)
  }
  return parsed.data as InvokeRequest<C>
}

/** Where a magic link sends the app: `playbook-sync://auth?code=…`. */
export const magicLinkRedirectUri = 'playbook-sync://auth'

// The headless host's wire format (JSON over a WebSocket), shared by the server and the browser
// client: schema-free, re-exported here for everything that reads the contract.
export { maxMessageBytes, type ClientMessage, type ServerMessage } from './contract-wire.ts'
export { uploadSecretHeader, wirePaths } from './contract-api.ts'
