/**
 * The tray and the application menu wired to the running engine: what each item does (pause for
 * a while, sync now, open a board, a folder or an upload, updates, logs, quit), and redrawing the
 * tray and the taskbar progress (at most every half second while events arrive). Either may be
 * missing on a desktop: the window still works.
 */
import type { BrowserWindow } from 'electron'
import { app, Menu, shell } from './electron-api.ts'
import type { Engine, Logger } from '../engine/engine-types.ts'
import type { ContractHandlers } from '../shared/contract.ts'
import { productName } from './app-identity.ts'
import { appMenuTemplate } from './app-menu.ts'
import { showNotification } from './desktop-notification.ts'
import { createTray } from './tray.ts'
import { tomorrowMorning, type PauseLength, type TrayActions } from './tray-menu.ts'
import { trayStatus } from './tray-status.ts'
import type { Updater } from './updater.ts'

/** What the tray and menu act on. */
export interface TrayWiringInput {
  readonly engine: Engine
  /** The contract's handlers (a board's or an upload's web address). */
  readonly handlers: ContractHandlers
  readonly updater: Updater
  /** Installs a downloaded update, asking first when uploads are not finished. */
  readonly installUpdate: () => Promise<void>
  /** Opens an http(s) link in the browser. */
  readonly openExternal: (url: string) => Promise<void>
  readonly showLogs: () => Promise<void>
  readonly log: Logger
  window(): BrowserWindow | null
  showWindow(): void
  quit(): void
}

/** The wired tray: redraw now or soon, and stop. */
export interface TrayWiring {
  /** Redraws the tray and the progress bar now (never throws). */
  refresh(): void
  /** Redraws within half a second, once however many events arrive meanwhile. */
  schedule(): void
  /** Ends the pause and redraw timers and removes the tray (before the engine closes). */
  stop(): void
}

/** Builds the menu actions, sets the application menu and creates the tray. */
export function wireTray(input: TrayWiringInput): TrayWiring {
  const { engine: running, handlers, updater, installUpdate, log } = input
  const openUrl = async (url: string | null) => {
    if (url) await input.openExternal(url)
  }
  const pairById = (id: string) => running.pairs().find((p) => p.id === id)
  let pausedUntil: number | null = null
  let pauseTimer: ReturnType<typeof setTimeout> | null = null
  const clearPause = () => {
    if (pauseTimer) clearTimeout(pauseTimer)
    pauseTimer = null
    pausedUntil = null
  }
  const warn = (what: string) => (e: Error) => log.warn(what, { error: e.message })
  const actions: TrayActions = {
    pauseAll(length: PauseLength) {
      clearPause()
      running.pause()
      if (length !== 'indefinitely') {
        const now = Date.now()
        pausedUntil = length === 'hour' ? now + 60 * 60 * 1000 : tomorrowMorning(now)
        pauseTimer = setTimeout(() => actions.resumeAll(), pausedUntil - now)
      }
      refreshTray()
    },
    resumeAll() {
      clearPause()
      running.resume()
      refreshTray()
    },
    syncNow: () => void running.syncNow().catch(warn('Sync now failed')),
    retryAll: () => running.retry(),
    openWindow: input.showWindow,
    openBoard(pairId) {
      const pair = pairById(pairId)
      if (pair)
        void Promise.resolve(handlers['boards:web-url']({ board: pair.board }))
          .then(openUrl)
          .catch(warn('Open board failed'))
    },
    openFolder(pairId) {
      const pair = pairById(pairId)
      if (pair)
        void shell.openPath(pair.folder).then((problem) => {
          if (problem) log.warn('Open folder failed', { error: problem })
        })
    },
    pausePair: (pairId) => running.pausePair(pairId),
    resumePair: (pairId) => running.resumePair(pairId),
    openJob: (job) =>
      void Promise.resolve(handlers['jobs:web-url']({ id: job.id }))
        .then(openUrl)
        .catch(warn('Open upload failed')),
    checkForUpdates: () =>
      void updater.check().then((status) => {
        if (status.kind === 'disabled') showNotification('Updates are off', status.reason)
        else if (status.kind === 'up-to-date')
          showNotification(`${productName} is up to date`, `You have version ${app.getVersion()}.`)
        else if (status.kind === 'error')
          showNotification('Could not check for updates', status.message)
      }),
    installUpdate: () => void installUpdate().catch(warn('Update failed')),
    showLogs: () => void input.showLogs(),
    quit: input.quit,
  }
  try {
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, actions)))
  } catch (error) {
    log.warn('No application menu', { error: (error as Error).message })
  }
  let tray: ReturnType<typeof createTray> | null = null
  try {
    tray = createTray(actions)
  } catch (error) {
    // No tray on this desktop (some Linux sessions): the window and the app menu still work.
    log.warn('No tray', { error: (error as Error).message })
  }
  let stopped = false
  const redrawTray = () => {
    if (stopped || !tray) return
    const totals = running.totals()
    const status = trayStatus(running.session(), totals, running.overview())
    const recent = running
      .jobs()
      .filter((j) => j.state.kind === 'done')
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 5)
    tray.update({
      status,
      paused: totals.paused,
      pausedUntil: totals.paused ? pausedUntil : null,
      failed: totals.failed,
      pairs: running.pairs(),
      recent,
      update: updater.status(),
    })
    const win = input.window()
    if (win && !win.isDestroyed()) win.setProgressBar(status.progress ?? -1)
  }
  const refreshTray = (): void => {
    try {
      redrawTray()
    } catch (error) {
      log.warn('Could not redraw the tray', { error: (error as Error).message })
    }
  }
  let trayTimer: ReturnType<typeof setTimeout> | null = null
  const scheduleTray = () => {
    trayTimer ??= setTimeout(() => {
      trayTimer = null
      refreshTray()
    }, 500)
  }

  return {
    refresh: refreshTray,
    schedule: scheduleTray,
    stop() {
      stopped = true
      clearPause()
      if (trayTimer) clearTimeout(trayTimer)
      trayTimer = null
      tray?.destroy()
    },
  }
}
