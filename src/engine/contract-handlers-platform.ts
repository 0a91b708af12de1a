/**
 * What the contract's handlers need from the host they run in: where settings live, the folder
 * dialog, the browser, self-update. Electron main and the headless host each pass one of these;
 * everything else is the engine's.
 */
import type { FirstScreenPort } from './first-screen.ts'
import type { AppInfo, AppSettings, FolderPurpose } from '../shared/contract.ts'
import type { UpdateStatus } from '../shared/update-models.ts'
import type { Engine } from './engine-types.ts'
import type { PluginService } from './plugin-service.ts'

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
  /**
   * Draws the renderer's first screen from its answers (engine/first-screen.ts), and hears why
   * when it could not. Absent where it was not built: `first-screen:draw` then answers null and
   * the renderer draws that screen itself.
   */
  readonly firstScreen?: FirstScreenPort
}

/** Self-update as the handlers reach it (main's electron-updater wrapper). */
export interface UpdatePort {
  status(): UpdateStatus
  check(): Promise<UpdateStatus>
  /** Restarts into a downloaded update (asking first when uploads are running). */
  install(): Promise<void>
}
