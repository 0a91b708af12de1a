/**
 * What the shared contract handlers need from the desktop: the app's facts, the folder chooser
 * over the window, links opened in the browser (http(s) only), files and folders shown in the
 * OS file manager, and the log file.
 */
import type { BrowserWindow } from 'electron'
import { app, shell } from './electron-api.ts'
import { productionApiUrl, type HandlerPlatform } from '../engine/contract-handlers.ts'
import { productName } from './app-identity.ts'
import { electronFolderChooser } from './folder-chooser.ts'
import { logFilePath } from './log.ts'
import { isExternalWebUrl } from './url-policy.ts'

/** What the platform is built from: the stores and services start-up made, and the window. */
export interface ElectronPlatformInput extends Pick<
  HandlerPlatform,
  'settings' | 'plugins' | 'updates' | 'firstScreen'
> {
  window(): BrowserWindow | null
}

/** The Electron host's platform for createContractHandlers. */
export function electronPlatform(input: ElectronPlatformInput): HandlerPlatform {
  const { settings, plugins, updates, firstScreen } = input
  return {
    info: {
      name: productName,
      version: app.getVersion(),
      platform: process.platform,
      host: 'electron',
      defaultApiUrl: process.env.PLAYBOOK_API_URL ?? productionApiUrl,
    },
    settings,
    chooseFolder: electronFolderChooser(() => {
      const win = input.window()
      return win && !win.isDestroyed() ? win : null
    }),
    async openExternal(url) {
      if (!isExternalWebUrl(url)) throw new Error('Only http(s) links open in the browser')
      await shell.openExternal(url)
    },
    async revealPath(path, isFolder) {
      // Sync issues' "Show file" / "Open folder": the OS file manager, on a path inside a pair.
      if (!isFolder) {
        shell.showItemInFolder(path)
        return
      }
      const problem = await shell.openPath(path)
      if (problem) throw new Error(problem)
    },
    async showLogs() {
      shell.showItemInFolder(logFilePath())
    },
    stagedPaths() {
      throw new Error('upload:staged is for the headless host; the app uploads by path')
    },
    plugins,
    updates,
    ...(firstScreen ? { firstScreen } : {}),
  }
}
