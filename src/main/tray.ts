/**
 * The tray: an icon showing idle / syncing / paused / error, a tooltip with progress, and a menu
 * that holds every action (Linux tray icons ignore clicks): status line, pause/resume, sync now,
 * open window, open board in the browser, the last few uploads, show logs, quit.
 */
import {
  Menu,
  Tray,
  nativeImage,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron'
import type { JobSnapshot } from '../shared/job-models.ts'
import { trayIconPngs, type TrayState } from './tray-icons.ts'
import type { TrayStatus } from './tray-status.ts'

/** What the tray menu can do; main wires these to the engine and the window. */
export interface TrayActions {
  pauseAll(): void
  resumeAll(): void
  syncNow(): void
  openWindow(): void
  openBoard(): void
  openJob(job: JobSnapshot): void
  showLogs(): void
  quit(): void
}

/** What the menu shows besides the status. */
export interface TrayModel {
  readonly status: TrayStatus
  readonly paused: boolean
  readonly boardTitle: string | null
  readonly recent: readonly JobSnapshot[]
}

function icon(state: TrayState): NativeImage {
  const image = nativeImage.createFromBuffer(Buffer.from(trayIconPngs[`${state}-16`], 'base64'))
  image.addRepresentation({
    scaleFactor: 2,
    buffer: Buffer.from(trayIconPngs[`${state}-32`], 'base64'),
  })
  return image
}

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
        model.boardTitle,
        model.recent.map((j) => j.id),
      ])
      // A refresh scheduled before quitting may land after destroy(): touching it then throws.
      if (key === lastKey || tray.isDestroyed()) return
      lastKey = key
      tray.setImage(icon(model.status.state))
      tray.setToolTip(model.status.tooltip)
      const recent: MenuItemConstructorOptions[] =
        model.recent.length === 0
          ? [{ label: 'No uploads yet', enabled: false }]
          : model.recent.map((job) => ({
              label: job.title.slice(0, 60),
              click: () => actions.openJob(job),
            }))
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: model.status.line, enabled: false },
          { type: 'separator' },
          model.paused
            ? { label: 'Resume syncing', click: actions.resumeAll }
            : { label: 'Pause syncing', click: actions.pauseAll },
          { label: 'Sync now', click: actions.syncNow },
          { type: 'separator' },
          { label: 'Open Playbook Sync', click: actions.openWindow },
          {
            label: model.boardTitle
              ? `Open “${model.boardTitle}” in Playbook`
              : 'Open board in Playbook',
            enabled: model.boardTitle !== null,
            click: actions.openBoard,
          },
          { label: 'Recent uploads', submenu: recent },
          { type: 'separator' },
          { label: 'Show logs', click: actions.showLogs },
          { label: 'Quit Playbook Sync', click: actions.quit },
        ]),
      )
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
