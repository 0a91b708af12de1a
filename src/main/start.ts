/**
 * Start-up once Electron is ready: settings, the engine, the plugin host, the contract served to
 * the one window, the tray, notifications, the updater and start at login. Returns what quitting
 * has to close.
 */
import type { BrowserWindow } from 'electron'
import { app, dialog, Menu, Notification, shell } from './electron-api.ts'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { redactText } from '../shared/redact.ts'
import { createEngine } from '../engine/app.ts'
import {
  bridgeEngineEvents,
  bridgePluginEvents,
  configuredApi,
  createContractHandlers,
  productionApiUrl,
  type HandlerPlatform,
} from '../engine/contract-handlers.ts'
import type { Engine, Logger, SecretStore } from '../engine/engine-types.ts'
import { createPluginService, type PluginService } from '../engine/plugin-service.ts'
import type { AppSettings, EmitEvent } from '../shared/contract.ts'
import { productName } from './app-identity.ts'
import { electronFolderChooser } from './folder-chooser.ts'
import { appMenuTemplate } from './app-menu.ts'
import { serveContract, sendEvent } from './ipc/serve-contract.ts'
import { launchCommand, setLinuxAutostart, hiddenArg } from './login-item.ts'
import { logFilePath } from './log.ts'
import { partnerBootstrapInput } from './partner-config.ts'
import { createSafeSecretStore } from './secret-store.ts'
import {
  openSettingsStore,
  partnerBootstrapState,
  storePluginSettings,
  storeSettings,
} from './settings-store.ts'
import { createSyncNotifier } from './sync-notifier.ts'
import { createTray } from './tray.ts'
import { folderName, tomorrowMorning, type PauseLength, type TrayActions } from './tray-menu.ts'
import { trayStatus } from './tray-status.ts'
import { createUpdater, installUnlessBusy, type Updater } from './updater.ts'
import { isExternalWebUrl, isRendererUrl, type RendererSource } from './url-policy.ts'

/** What start-up needs from index.ts. */
export interface StartContext {
  readonly source: RendererSource
  readonly log: Logger
  /** Wraps the token store so the log redacts the token. */
  watchSecrets(inner: SecretStore): SecretStore
  /** Adds a credential to redact (a partner's integration token). */
  addSecret(value: string): void
  knownSecrets(): readonly string[]
  window(): BrowserWindow | null
  showWindow(): void
  quit(): void
}

/** What is running once start-up finished. */
export interface Started {
  readonly engine: Engine
  readonly plugins: PluginService
  readonly updater: Updater
  /** Stops timers and the tray (before the engine closes). */
  stop(): void
}

/** Shows a desktop notification when the OS has them; never throws. */
export function showNotification(title: string, body: string): void {
  try {
    if (Notification.isSupported()) new Notification({ title, body }).show()
  } catch {
    // No notification centre: the tray and the window still say it.
  }
}

async function partnerBootstrap(
  ctx: StartContext,
  target: Engine,
  state: { done(): boolean; markDone(): void },
) {
  if (state.done()) return
  let fileJson: unknown
  try {
    fileJson = JSON.parse(await readFile(join(app.getPath('userData'), 'partner.json'), 'utf8'))
  } catch {
    fileJson = undefined
  }
  const input = partnerBootstrapInput(fileJson, process.env, productionApiUrl)
  if (!input) return
  ctx.addSecret(input.integrationToken)
  const result = await target.bootstrap(input)
  state.markDone()
  ctx.log.info('Partner bootstrap finished', { status: result.status })
  if (result.redirectUrl && /^https:\/\//i.test(result.redirectUrl)) {
    const choice = await dialog.showMessageBox({
      type: 'info',
      message: 'Your Playbook account is ready',
      detail: 'Playbook Sync is signed in. Open Playbook in your browser to see your boards?',
      buttons: ['Open Playbook', 'Later'],
      defaultId: 0,
    })
    if (choice.response === 0) await shell.openExternal(result.redirectUrl)
  }
}

/** Applies "Start at login" the way each OS needs it. */
async function applyLoginItem(enabled: boolean, log: Logger): Promise<void> {
  try {
    if (process.platform === 'linux') {
      const command = launchCommand({
        execPath: process.execPath,
        argv: process.argv,
        defaultApp: Boolean(process.defaultApp),
        env: process.env,
      })
      await setLinuxAutostart(enabled, command, process.env)
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [hiddenArg] })
    }
  } catch (error) {
    log.warn('Could not change start at login', { error: (error as Error).message })
  }
}

/** Starts everything; `onReady` runs once the contract is served (the window may open). */
export async function start(
  ctx: StartContext,
  onReady: (started: Started) => void,
): Promise<Started> {
  const { log } = ctx
  const store = openSettingsStore(app.getVersion(), app.getPath('userData'))
  let lastStartAtLogin: boolean | null = null
  const applySettings = (settings: AppSettings) => {
    if (settings.startAtLogin === lastStartAtLogin) return
    lastStartAtLogin = settings.startAtLogin
    void applyLoginItem(settings.startAtLogin, log)
  }
  const settings = storeSettings(store, applySettings)
  const initial = settings.get()
  const home = process.env.PLAYBOOK_SYNC_HOME ?? join(app.getPath('userData'), 'engine')
  const secrets = ctx.watchSecrets(
    createSafeSecretStore(join(app.getPath('userData'), 'session.bin'), log),
  )
  const running: Engine = await createEngine({
    home,
    secrets,
    log,
    concurrency: initial.concurrency,
    bwlimit: initial.bandwidthLimit > 0 ? initial.bandwidthLimit : undefined,
    ignorePatterns: initial.ignorePatterns,
  })
  let pluginService: PluginService
  try {
    pluginService = await createPluginService({
      settings: storePluginSettings(store),
      defaultDest: join(app.getPath('downloads'), 'Playbook'),
      stateDir: join(home, 'plugins'),
      log,
      apiUrl: () => configuredApi(running, process.env.PLAYBOOK_API_URL ?? productionApiUrl),
    })
  } catch (error) {
    await running.close()
    throw error
  }

  const emit: EmitEvent = (channel, payload) => {
    const win = ctx.window()
    if (win && !win.isDestroyed()) sendEvent(win.webContents, channel, payload)
  }
  let refreshTray = () => {}
  const updater = await createUpdater({
    packaged: app.isPackaged,
    log,
    onChange: (status) => {
      emit('update:changed', status)
      refreshTray()
      if (status.kind === 'ready')
        showNotification(
          `${productName} ${status.version} is ready`,
          'Restart to update from the tray, or it installs when you quit.',
        )
    },
  })
  const busyUploads = () => {
    const totals = running.totals()
    return totals.active + totals.queued
  }
  const installUpdate = async () => {
    await installUnlessBusy(updater, busyUploads(), async (busy) => {
      const choice = await dialog.showMessageBox({
        type: 'question',
        message: `Restart now? ${busy.toLocaleString('en-US')} ${busy === 1 ? 'upload is' : 'uploads are'} not finished.`,
        detail: 'They continue from where they stopped after the update.',
        buttons: ['Restart now', 'Later'],
        defaultId: 1,
        cancelId: 1,
      })
      return choice.response === 0
    })
  }

  const platform: HandlerPlatform = {
    info: {
      name: productName,
      version: app.getVersion(),
      platform: process.platform,
      host: 'electron',
      defaultApiUrl: process.env.PLAYBOOK_API_URL ?? productionApiUrl,
    },
    settings,
    chooseFolder: electronFolderChooser(() => {
      const win = ctx.window()
      return win && !win.isDestroyed() ? win : null
    }),
    async openExternal(url) {
      if (!isExternalWebUrl(url)) throw new Error('Only http(s) links open in the browser')
      await shell.openExternal(url)
    },
    async revealPath(path, isFolder) {
      // Sync issues' "Show file" / "Open folder": the OS file manager, on a path inside a pair.
      if (!isFolder) {
        shell.showItemInFolder(path)
        return
      }
      const problem = await shell.openPath(path)
      if (problem) throw new Error(problem)
    },
    async showLogs() {
      shell.showItemInFolder(logFilePath())
    },
    stagedPaths() {
      throw new Error('upload:staged is for the headless host; the app uploads by path')
    },
    plugins: pluginService,
    updates: { status: updater.status, check: updater.check, install: installUpdate },
  }
  const handlers = createContractHandlers(running, platform, emit)
  serveContract(handlers, (sender, frameUrl) => {
    const win = ctx.window()
    return (
      win !== null &&
      !win.isDestroyed() &&
      sender === win.webContents &&
      isRendererUrl(frameUrl, ctx.source)
    )
  })

  const openUrl = async (url: string | null) => {
    if (url) await platform.openExternal(url)
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
    openWindow: ctx.showWindow,
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
    showLogs: () => void platform.showLogs(),
    quit: ctx.quit,
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
    const win = ctx.window()
    if (win && !win.isDestroyed()) win.setProgressBar(status.progress ?? -1)
  }
  refreshTray = () => {
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
  const boardTitles = new Map<string, string>()
  const notify = createSyncNotifier(
    // Notifications outlive the app in the OS's notification centre: no signed URLs there either.
    (title, body) => showNotification(title, redactText(body, ctx.knownSecrets())),
    () => settings.get().notifications,
    {
      pair(id) {
        const pair = pairById(id)
        return pair
          ? { folder: folderName(pair.folder), board: pair.boardTitle ?? pair.board }
          : null
      },
      board: (token) =>
        boardTitles.get(token) ??
        (settings.get().lastBoard?.token === token ? settings.get().lastBoard!.title : token),
    },
  )
  bridgeEngineEvents(running, emit, {
    onEvent: (event) => {
      notify(event)
      scheduleTray()
    },
  })
  bridgePluginEvents(pluginService, emit)

  const started: Started = {
    engine: running,
    plugins: pluginService,
    updater,
    stop() {
      stopped = true
      clearPause()
      if (trayTimer) clearTimeout(trayTimer)
      trayTimer = null
      if ('stop' in updater && typeof updater.stop === 'function') updater.stop()
      tray?.destroy()
    },
  }
  onReady(started)
  refreshTray()
  applySettings(initial)

  await partnerBootstrap(ctx, running, partnerBootstrapState(store)).catch((error: Error) => {
    log.error('Partner bootstrap failed', { error: error.message })
  })
  return started
}
