/**
 * Start-up once Electron is ready: settings, the engine, the plugin host, the contract served to
 * the one window, the tray, notifications, the updater and start at login. Returns what quitting
 * has to close.
 */
import type { BrowserWindow } from 'electron'
import { app, dialog } from './electron-api.ts'
import { join } from 'node:path'
import { redactText } from '../shared/redact.ts'
import { createEngine } from '../engine/app.ts'
import {
  bridgeEngineEvents,
  bridgePluginEvents,
  configuredApi,
  createContractHandlers,
  productionApiUrl,
} from '../engine/contract-handlers.ts'
import { loadFirstScreen } from '../engine/first-screen.ts'
import type { Engine, Logger, SecretStore } from '../engine/engine-types.ts'
import { createPluginService, type PluginService } from '../engine/plugin-service.ts'
import type { AppSettings, EmitEvent } from '../shared/contract.ts'
import { productName } from './app-identity.ts'
import { showNotification } from './desktop-notification.ts'
import { electronPlatform } from './electron-platform.ts'
import { serveContract, sendEvent } from './ipc/serve-contract.ts'
import { partnerBootstrap } from './partner-bootstrap.ts'
import { createSafeSecretStore } from './secret-store.ts'
import {
  openSettingsStore,
  partnerBootstrapState,
  storePluginSettings,
  storeSettings,
} from './settings-store.ts'
import { applyLoginItem } from './start-at-login.ts'
import { createSyncNotifier } from './sync-notifier.ts'
import { folderName } from './tray-menu.ts'
import { wireTray } from './tray-wiring.ts'
import { createUpdater, installUnlessBusy, type Updater } from './updater.ts'
import { isRendererUrl, type RendererSource } from './url-policy.ts'

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

/** Starts everything; `onReady` runs once the contract is served (the window may open). */
export async function start(
  ctx: StartContext,
  onReady: (started: Started) => void,
): Promise<Started> {
  const { log } = ctx
  // The renderer's first screen, drawn here for the preload to place (engine/first-screen.ts):
  // loaded while the engine starts. Not with the development server, whose renderer changes
  // under a drawing built earlier.
  const loadingFirstScreen = ctx.source.devServer
    ? Promise.resolve(undefined)
    : loadFirstScreen(join(ctx.source.here, '../renderer'), log)
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

  const platform = electronPlatform({
    settings,
    plugins: pluginService,
    firstScreen: await loadingFirstScreen,
    updates: { status: updater.status, check: updater.check, install: installUpdate },
    window: ctx.window,
  })
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
  const tray = wireTray({
    engine: running,
    handlers,
    updater,
    installUpdate,
    openExternal: platform.openExternal,
    showLogs: platform.showLogs,
    log,
    window: ctx.window,
    showWindow: ctx.showWindow,
    quit: ctx.quit,
  })
  refreshTray = tray.refresh
  const pairById = (id: string) => running.pairs().find((p) => p.id === id)
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
      tray.schedule()
    },
  })
  bridgePluginEvents(pluginService, emit)

  const started: Started = {
    engine: running,
    plugins: pluginService,
    updater,
    stop() {
      tray.stop()
      if ('stop' in updater && typeof updater.stop === 'function') updater.stop()
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
