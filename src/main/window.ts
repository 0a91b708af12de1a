/**
 * The one window: contextIsolation, sandbox, no nodeIntegration, no webviews, no permissions,
 * navigation locked to the renderer, external http(s) links to the browser. Closing it hides it,
 * so syncing continues in the tray.
 */
import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'

/** Where the renderer is loaded from (the dev server, or the built file). */
export function rendererUrl(here: string): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${join(here, '../renderer/index.html')}`
}

/** True when `url` is our renderer (used to check IPC senders and navigation). */
export function isRendererUrl(url: string | undefined, here: string): boolean {
  if (!url) return false
  try {
    const actual = new URL(url)
    const expected = new URL(rendererUrl(here))
    return (
      actual.protocol === expected.protocol &&
      actual.host === expected.host &&
      actual.pathname === expected.pathname &&
      actual.username === '' &&
      actual.password === ''
    )
  } catch {
    return false
  }
}

/** Creates the window; `shouldQuit` tells the close handler whether to really close. */
export function createMainWindow(here: string, shouldQuit: () => boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 720,
    minWidth: 560,
    minHeight: 480,
    show: false,
    title: 'Playbook Sync',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url, here)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  win.on('close', (event) => {
    if (shouldQuit()) return
    event.preventDefault()
    win.hide()
  })
  void win.loadURL(rendererUrl(here))
  return win
}
