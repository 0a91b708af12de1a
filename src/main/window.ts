/**
 * The one window: contextIsolation, sandbox, no nodeIntegration, no webviews, no permissions,
 * navigation locked to the renderer, external http(s) links to the browser. Closing it hides it,
 * so syncing continues in the tray.
 */
import type { BrowserWindow as ElectronWindow, WebContents } from 'electron'
import { BrowserWindow, shell } from './electron-api.ts'
import { join } from 'node:path'
import {
  isExternalWebUrl,
  isRendererUrl,
  permissionAllowed,
  rendererUrl,
  type RendererSource,
} from './url-policy.ts'

/**
 * Locks down any web contents (ours, or one something managed to create): no webviews, no new
 * windows (http(s) links go to the browser), no navigation or redirect away from the renderer,
 * no permissions (camera, notifications, clipboard, …) granted or reported as granted.
 */
export function lockDownContents(
  contents: WebContents,
  source: RendererSource,
  onProblem: (what: string, error: Error) => void = () => {},
): void {
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isRendererUrl(url, source)) event.preventDefault()
  }
  // Each lock on its own: one the runtime lacks must not leave the others off.
  const step = (what: string, lock: () => void) => {
    try {
      lock()
    } catch (error) {
      onProblem(what, error as Error)
    }
  }
  step('navigation lock', () => {
    contents.on('will-navigate', stayHome)
    contents.on('will-redirect', stayHome)
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  step('window-open handler', () =>
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalWebUrl(url)) void shell.openExternal(url).catch(() => {})
      return { action: 'deny' }
    }),
  )
  step('permission handlers', () => {
    contents.session.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(permissionAllowed(permission, details.requestingUrl, source)),
    )
    contents.session.setPermissionCheckHandler((_contents, permission, origin) =>
      permissionAllowed(permission, origin, source),
    )
  })
}

/**
 * Creates the window; `shouldQuit` tells the close handler whether to really close, `showOnReady`
 * whether to show it once loaded (a start at login stays in the tray).
 */
export function createMainWindow(
  source: RendererSource,
  shouldQuit: () => boolean,
  showOnReady: () => boolean = () => true,
): ElectronWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 720,
    minWidth: 560,
    minHeight: 480,
    show: false,
    title: 'Playbook Sync',
    webPreferences: {
      preload: join(source.here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => {
    if (showOnReady()) win.show()
  })
  lockDownContents(win.webContents, source)
  win.on('close', (event) => {
    if (shouldQuit()) return
    event.preventDefault()
    win.hide()
  })
  // A failed load (renderer missing) leaves an empty window rather than a crash.
  Promise.resolve()
    .then(() => win.loadURL(rendererUrl(source)))
    .catch(() => {})
  return win
}
