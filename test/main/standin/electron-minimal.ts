/**
 * STANDIN_MINIMAL=1 maps `electron` here: the stand-in without the optional pieces at all (no
 * Tray, Notification or safeStorage exports), as a poorer runtime or another stand-in may be.
 * Main must still link, start and serve the contract.
 */
import electron from './electron.ts'

export {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  session,
  shell,
  webContents,
} from './electron.ts'

const { Tray: _tray, Notification: _notification, safeStorage: _safe, ...rest } = electron
export default rest as Record<string, unknown>
