/**
 * The one place main takes Electron's modules from. A namespace import links whatever the
 * `electron` module offers (Electron itself, or a stand-in with fewer pieces); a missing piece is
 * then undefined where it is used, where main catches it, instead of a link error that stops the
 * whole bundle from loading. Works for ES and CommonJS shapes of the module alike.
 */
import * as electronModule from 'electron'

type Api = typeof electronModule
const named = electronModule as Partial<Api> & { readonly default?: Partial<Api> }
const pick = <K extends keyof Api>(key: K): Api[K] => (named[key] ?? named.default?.[key]) as Api[K]

export const app = pick('app')
export const BrowserWindow = pick('BrowserWindow')
export const dialog = pick('dialog')
export const ipcMain = pick('ipcMain')
export const Menu = pick('Menu')
export const nativeImage = pick('nativeImage')
export const Notification = pick('Notification')
export const safeStorage = pick('safeStorage')
export const shell = pick('shell')
export const Tray = pick('Tray')
