/**
 * Electron main: thin glue. One instance, one window loading the renderer with contextIsolation,
 * sandbox and no nodeIntegration; navigation locked down; the engine does the work.
 */
import { app, BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveContract } from './ipc/serve-contract.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
let mainWindow: BrowserWindow | null = null

function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${join(here, '../renderer/index.html')}`
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Playbook Sync',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  // Navigation is locked: the window only ever shows our renderer; links open in the browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(rendererUrl().split('#')[0] ?? '')) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  void win.loadURL(rendererUrl())
  return win
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.show()
      mainWindow.focus()
    }
  })
  void app.whenReady().then(() => {
    serveContract(
      {
        'app:info': () => ({ name: 'Playbook Sync', version: app.getVersion(), platform: process.platform, host: 'electron' }),
        'session:get': () => ({ kind: 'signed-out' }),
      },
      (sender) => mainWindow !== null && sender === mainWindow.webContents,
    )
    mainWindow = createWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
