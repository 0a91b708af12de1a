/**
 * The application menu: on macOS the app menu gains "Check for Updates…" (the menu bar is where a
 * Mac user looks for it); elsewhere a File menu carries it with "Show Logs" and Quit. Edit keeps
 * the standard roles so copy and paste work in text fields.
 */
import type { MenuItemConstructorOptions } from 'electron'

/** What the menu can do. */
export interface AppMenuActions {
  checkForUpdates(): void
  showLogs(): void
}

/** The menu template for `platform` (pure data plus click handlers). */
export function appMenuTemplate(
  platform: string,
  actions: AppMenuActions,
): MenuItemConstructorOptions[] {
  const updates: MenuItemConstructorOptions = {
    label: 'Check for Updates…',
    click: () => actions.checkForUpdates(),
  }
  const logs: MenuItemConstructorOptions = { label: 'Show Logs', click: () => actions.showLogs() }
  const first: MenuItemConstructorOptions =
    platform === 'darwin'
      ? {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            updates,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        }
      : { label: 'File', submenu: [updates, logs, { type: 'separator' }, { role: 'quit' }] }
  return [
    first,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    ...(platform === 'darwin' ? [{ role: 'help' as const, submenu: [logs] }] : []),
  ]
}
