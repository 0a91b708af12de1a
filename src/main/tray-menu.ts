/**
 * The tray menu as data: status in words; each folder with its state, "Open board", "Open folder"
 * and pause/resume; the failed count with "Retry all"; pausing for an hour or until tomorrow;
 * "Check for updates" or "Restart to update"; quit. Pure (no Electron), so every item is tested
 * for what it says and does; tray.ts hands it to Menu.buildFromTemplate.
 */
import type { JobSnapshot } from '../shared/job-models.ts'
import type { PairSnapshot } from '../shared/pair-models.ts'
import type { UpdateStatus } from '../shared/update-models.ts'
import { assertNever } from '../shared/assert-never.ts'
import type { TrayStatus } from './tray-status.ts'

/** How long "pause" lasts. */
export type PauseLength = 'hour' | 'tomorrow' | 'indefinitely'

/** What the menu can do; main wires these to the engine, the window and the updater. */
export interface TrayActions {
  pauseAll(length: PauseLength): void
  resumeAll(): void
  syncNow(): void
  retryAll(): void
  openWindow(): void
  openBoard(pairId: string): void
  openFolder(pairId: string): void
  pausePair(pairId: string): void
  resumePair(pairId: string): void
  openJob(job: JobSnapshot): void
  checkForUpdates(): void
  installUpdate(): void
  showLogs(): void
  quit(): void
}

/** What the menu shows. */
export interface TrayModel {
  readonly status: TrayStatus
  readonly paused: boolean
  /** When a timed pause ends (ms since epoch), or null. */
  readonly pausedUntil: number | null
  readonly failed: number
  readonly pairs: readonly PairSnapshot[]
  readonly recent: readonly JobSnapshot[]
  readonly update: UpdateStatus
}

/** One menu item, the subset of Electron's MenuItemConstructorOptions we use. */
export interface TrayItem {
  readonly label?: string
  readonly type?: 'separator'
  readonly enabled?: boolean
  readonly click?: () => void
  readonly submenu?: readonly TrayItem[]
}

/** The last path segment of a folder, for the menu. */
export function folderName(folder: string): string {
  const parts = folder.split(/[\\/]+/).filter(Boolean)
  return parts.at(-1) ?? folder
}

/** A pair's state in words. */
export function pairStateWords(pair: PairSnapshot): string {
  const { status, counts } = pair
  switch (status.kind) {
    case 'idle':
      return counts.failed > 0 ? `${counts.failed} failed` : 'Up to date'
    case 'scanning':
      return 'Checking files'
    case 'syncing':
      return counts.pending > 0 ? `Syncing ${counts.pending}` : 'Syncing'
    case 'paused':
      return 'Paused'
    case 'offline':
      return 'Offline, will continue'
    case 'error':
      return `Stopped: ${status.reason}`
    default:
      return assertNever(status)
  }
}

/** A clock time in the user's locale ("14:05"). */
const clock = (at: number) =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** When "until tomorrow" ends: 9:00 tomorrow, local time. */
export function tomorrowMorning(now: number): number {
  const at = new Date(now)
  at.setDate(at.getDate() + 1)
  at.setHours(9, 0, 0, 0)
  return at.getTime()
}

function updateItem(update: UpdateStatus, actions: TrayActions): TrayItem {
  switch (update.kind) {
    case 'ready':
      return { label: `Restart to update (${update.version})`, click: actions.installUpdate }
    case 'downloading':
      return { label: `Downloading update ${update.version} · ${update.percent} %`, enabled: false }
    case 'checking':
      return { label: 'Checking for updates…', enabled: false }
    case 'disabled':
    case 'idle':
    case 'up-to-date':
    case 'error':
      return { label: 'Check for updates', click: actions.checkForUpdates }
    default:
      return assertNever(update)
  }
}

/** Builds the menu. */
export function trayMenu(model: TrayModel, actions: TrayActions): TrayItem[] {
  const folders: TrayItem[] = model.pairs.map((pair) => ({
    label: `${folderName(pair.folder)} → ${pair.boardTitle ?? pair.board}: ${pairStateWords(pair)}`,
    submenu: [
      { label: 'Open board', click: () => actions.openBoard(pair.id) },
      { label: 'Open folder', click: () => actions.openFolder(pair.id) },
      pair.status.kind === 'paused'
        ? { label: 'Resume', click: () => actions.resumePair(pair.id) }
        : { label: 'Pause', click: () => actions.pausePair(pair.id) },
    ],
  }))
  const pauseItems: TrayItem[] = model.paused
    ? [
        {
          label: model.pausedUntil
            ? `Resume syncing (paused until ${clock(model.pausedUntil)})`
            : 'Resume syncing',
          click: actions.resumeAll,
        },
      ]
    : [
        { label: 'Pause for 1 hour', click: () => actions.pauseAll('hour') },
        { label: 'Pause until tomorrow', click: () => actions.pauseAll('tomorrow') },
      ]
  const recent: TrayItem[] =
    model.recent.length === 0
      ? [{ label: 'No uploads yet', enabled: false }]
      : model.recent.map((job) => ({
          label: job.title.slice(0, 60),
          click: () => actions.openJob(job),
        }))
  return [
    { label: model.status.line, enabled: false },
    ...(model.failed > 0
      ? [
          {
            label: `${model.failed.toLocaleString('en-US')} failed · Retry all`,
            click: actions.retryAll,
          },
        ]
      : []),
    { type: 'separator' },
    ...(folders.length > 0 ? folders : [{ label: 'No folders synced yet', enabled: false }]),
    { type: 'separator' },
    ...pauseItems,
    { label: 'Sync now', click: actions.syncNow },
    { type: 'separator' },
    { label: 'Open Playbook Sync', click: actions.openWindow },
    { label: 'Recent uploads', submenu: recent },
    { type: 'separator' },
    updateItem(model.update, actions),
    { label: 'Show logs', click: actions.showLogs },
    { label: 'Quit Playbook Sync', click: actions.quit },
  ]
}
