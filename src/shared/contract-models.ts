/**
 * The contract's data shapes and plain constants, without a validator: what the renderer may load
 * as values (the defaults, the limits a form shows) without pulling the request schemas in.
 * contract.ts re-exports all of it; hosts and the engine keep reading it from there.
 */
import type { JobSnapshot, QueueTotals } from './job-models.ts'
import type { ChangePolicy } from './pair-models.ts'
import type { PluginItemSnapshot, PluginName } from './plugin-models.ts'

/** Facts about the running app, for the about line, diagnostics and transport-specific UI. */
export interface AppInfo {
  readonly name: string
  readonly version: string
  readonly platform: string
  readonly host: 'electron' | 'headless'
  /** The API the sign-in form starts with (production, or a configured server). */
  readonly defaultApiUrl: string
}

/** Settings the user edits on the settings screen; stored by the host (electron-store, a file). */
export interface AppSettings {
  /** Files uploaded at once. */
  readonly concurrency: number
  /** Bytes per second for all transfers together; 0 means no cap. */
  readonly bandwidthLimit: number
  /** Ignore patterns (gitignore syntax) every pair applies on top of its own, live. */
  readonly ignorePatterns: readonly string[]
  /** What a changed file becomes in folders added from now on (each folder has its own). */
  readonly onChange: ChangePolicy
  readonly notifications: boolean
  readonly startAtLogin: boolean
  /** Where dropped files go unless the user picks another board. */
  readonly lastBoard: { readonly token: string; readonly title: string } | null
}

/** Defaults for a fresh install; hosts merge stored values over these. */
export const defaultSettings: AppSettings = {
  concurrency: 4,
  bandwidthLimit: 0,
  ignorePatterns: [],
  onChange: 'version',
  notifications: true,
  startAtLogin: false,
  lastBoard: null,
}

/** The most files at once the settings accept (the queue refuses more). */
export const maxFilesAtOnce = 16

/** Everything the activity screen needs at once: the queue as it is now. */
export interface JobsSnapshot {
  readonly jobs: readonly JobSnapshot[]
  readonly totals: QueueTotals
}

/** One asset a plugin invocation works on: a row in the activity list's plugin section. */
export type PluginActivityItem = PluginItemSnapshot

/** Whether the plugin host listens; `on` carries the invocation URLs (secret included). */
export type PluginHostStatus =
  | { readonly kind: 'off' }
  | { readonly kind: 'starting' }
  | {
      readonly kind: 'on'
      readonly port: number
      readonly urls: Readonly<Record<PluginName, string>>
    }
  | { readonly kind: 'error'; readonly message: string }

/** The plugin host's settings and status, as the settings screen shows them. */
export interface PluginsState {
  readonly enabled: boolean
  /** 0 picks a free port at every start. */
  readonly port: number
  /** The folder "Send to desktop" saves into. */
  readonly dest: string
  readonly status: PluginHostStatus
}

/** A message for the user, shown as a toast and (in Electron) a notification. */
export interface Notice {
  readonly level: 'info' | 'warning' | 'error'
  readonly message: string
}

/** What a folder is chosen for: a synced folder, or where "Send to desktop" saves. */
export type FolderPurpose = 'pair' | 'plugin-dest'

/**
 * A folder the user chose in the host's own dialog or confirmation. The renderer shows `path` and
 * passes `handle` back: it can never name a folder itself.
 */
export interface FolderChoice {
  readonly handle: string
  readonly path: string
  /** The user agreed to hidden files being uploaded too. */
  readonly includeHidden: boolean
}

/** A dropped file, as far as the transport needs it (a DOM `File`). */
export interface DroppedFile {
  readonly name: string
  readonly size: number
  readonly type: string
}
