/**
 * The tray: an icon showing idle / syncing / paused / error, a tooltip with progress, and the menu
 * from tray-menu.ts (Linux tray icons ignore clicks, so every action is in the menu).
 */
import type { MenuItemConstructorOptions, NativeImage } from 'electron'
import { Menu, Tray, nativeImage } from './electron-api.ts'
import { trayIconPngs, type TrayState } from './tray-icons.ts'
import { trayMenu, type TrayActions, type TrayItem, type TrayModel } from './tray-menu.ts'

function icon(state: TrayState): NativeImage {
  const image = nativeImage.createFromBuffer(Buffer.from(trayIconPngs[`${state}-16`], 'base64'))
  image.addRepresentation({
    scaleFactor: 2,
    buffer: Buffer.from(trayIconPngs[`${state}-32`], 'base64'),
  })
  return image
}

const toElectron = (items: readonly TrayItem[]): MenuItemConstructorOptions[] =>
  items.map((item) => ({
    ...(item.type ? { type: item.type } : {}),
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
    ...(item.click ? { click: item.click } : {}),
    ...(item.submenu ? { submenu: toElectron(item.submenu) } : {}),
  }))

/** Creates the tray; `update` redraws it (cheap to call often, it skips unchanged models). */
export function createTray(actions: TrayActions): {
  update(model: TrayModel): void
  destroy(): void
} {
  const tray = new Tray(icon('idle'))
  let lastKey = ''
  tray.on('click', () => actions.openWindow())
  return {
    update(model) {
      const key = JSON.stringify([
        model.status,
        model.paused,
        model.pausedUntil,
        model.failed,
        model.pairs.map((p) => [p.id, p.status, p.counts, p.boardTitle]),
        model.recent.map((j) => j.id),
        model.update,
      ])
      // A refresh scheduled before quitting may land after destroy(): touching it then throws.
      if (key === lastKey || tray.isDestroyed()) return
      lastKey = key
      tray.setImage(icon(model.status.state))
      tray.setToolTip(model.status.tooltip)
      tray.setContextMenu(Menu.buildFromTemplate(toElectron(trayMenu(model, actions))))
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
