/**
 * Electron main: thin glue around the engine. One instance; one locked-down window that hides on
 * close (syncing continues in the tray); `playbook-sync://` links treated as untrusted input; the
 * token in safeStorage; settings in electron-store; the contract served by the shared handlers.
 */
import { app, dialog, Notification, shell, type BrowserWindow } from 'electron'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
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
import type { Engine, SecretStore } from '../engine/engine-types.ts'
import { createPluginService, type PluginService } from '../engine/plugin-service.ts'
import type { AppSettings, EmitEvent } from '../shared/contract.ts'
import { electronFolderChooser } from './folder-chooser.ts'
import { decideLink, findDeepLink, linkScheme, parseDeepLink, type AuthLink } from './deep-link.ts'
import { serveContract, sendEvent } from './ipc/serve-contract.ts'
import { initLogging, logFilePath } from './log.ts'
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
import { trayStatus } from './tray-status.ts'
import { isExternalWebUrl, isRendererUrl } from './url-policy.ts'
import { createMainWindow, lockDownContents } from './window.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
let quitting = false
let mainWindow: BrowserWindow | null = null
let engine: Engine | null = null
let plugins: PluginService | null = null
let pendingLink: AuthLink | null = findDeepLink(process.argv)
/** True once the contract is served: a window made before that would call missing handlers. */
let ready = false
let linkInFlight = false
let knownToken: string | undefined
/** Other credentials this run has seen (a partner's integration token), redacted verbatim too. */
const otherSecrets = new Set<string>()
const knownSecrets = () => [...(knownToken ? [knownToken] : []), ...otherSecrets]
const log = initLogging(knownSecrets)

// A stray rejection or exception in glue code must not take syncing down with a crash dialog;
// it is logged (redacted, like every line) and the app carries on.
process.on('unhandledRejection', (reason) => {
  log.error('Unhandled rejection in main', { error: String((reason as Error)?.message ?? reason) })
})
process.on('uncaughtException', (error) => {
  log.error('Uncaught exception in main', { error: error.message })
})

/** The window, made once the contract is served (never twice: a second one would be untrusted). */
function ensureWindow(): BrowserWindow | null {
  if (!app.isReady() || !ready) return null
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow(here, () => quitting)
  return mainWindow
}

function showWindow(): void {
  // Before start-up finished the window is on its way and shows itself when ready.
  const win = ensureWindow()
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

async function completeLink(link: AuthLink): Promise<void> {
  if (!engine || !ready) {
    // Too early (or quitting): start() picks it up once the window and handlers exist.
    pendingLink = link
    return
  }
  if (linkInFlight) {
    log.warn('Ignored a sign-in link: another one is being handled')
    return
  }
  linkInFlight = true
  const target = engine
  try {
    showWindow()
    const decision = decideLink(target.session())
    if (decision.kind === 'ignore') {
      log.warn('Ignored a sign-in link', { reason: decision.reason })
      return
    }
    const options = {
      type: 'question' as const,
      message: `Sign in to Playbook as ${decision.email}?`,
      detail:
        `A sign-in link was opened. Continue only if it came from the e-mail sent to ${decision.email}: ` +
        'the link signs this app into that account, and your folders would sync there.',
      buttons: ['Sign in', 'Ignore'],
      defaultId: 1,
      cancelId: 1,
    }
    const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null
    const choice = win
      ? await dialog.showMessageBox(win, options)
      : await dialog.showMessageBox(options)
    if (choice.response !== 0) {
      log.info('A sign-in link was ignored by the user')
      return
    }
    await target.completeMagicLink(link.link)
    log.info('Signed in with a magic link')
  } catch (error) {
    log.warn('Magic link refused', { error: (error as Error).message })
    if (Notification.isSupported())
      new Notification({
        title: 'Sign-in link did not work',
        body: redactText((error as Error).message, knownSecrets()),
      }).show()
  } finally {
    linkInFlight = false
  }
}

function onLink(raw: unknown): void {
  const link = parseDeepLink(raw)
  if (!link) {
    log.warn('Ignored a playbook-sync link that is not a sign-in link')
    return
  }
  void completeLink(link)
}

/** Remembers the token for log redaction while passing everything through. */
function watchedSecrets(inner: SecretStore): SecretStore {
  return {
    async get() {
      knownToken = await inner.get()
      return knownToken
    },
    async set(value) {
      knownToken = value
      await inner.set(value)
    },
    async clear() {
      knownToken = undefined
      await inner.clear()
    },
  }
}

async function partnerBootstrap(target: Engine, state: { done(): boolean; markDone(): void }) {
  if (state.done()) return
  let fileJson: unknown
  try {
    fileJson = JSON.parse(await readFile(join(app.getPath('userData'), 'partner.json'), 'utf8'))
  } catch {
    fileJson = undefined
  }
  const input = partnerBootstrapInput(fileJson, process.env, productionApiUrl)
  if (!input) return
  otherSecrets.add(input.integrationToken)
  const result = await target.bootstrap(input)
  state.markDone()
  log.info('Partner bootstrap finished', { status: result.status })
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

async function start(): Promise<void> {
  const store = openSettingsStore(app.getVersion())
  const applySettings = (settings: AppSettings) => {
    if (process.platform !== 'linux')
      app.setLoginItemSettings({ openAtLogin: settings.startAtLogin })
  }
  const settings = storeSettings(store, applySettings)
  const initial = settings.get()
  const home = process.env.PLAYBOOK_SYNC_HOME ?? join(app.getPath('userData'), 'engine')
  const secrets = watchedSecrets(
    createSafeSecretStore(join(app.getPath('userData'), 'session.bin'), log),
  )
  const running: Engine = await createEngine({
    home,
    secrets,
    log,
    concurrency: initial.concurrency,
    bwlimit: initial.bandwidthLimit > 0 ? initial.bandwidthLimit : undefined,
  })
  engine = running
  // Registered as soon as there is something to close, so quitting mid start-up closes it too.
  let stopTray: (() => void) | null = null
  let closing: Promise<unknown> | null = null
  app.on('before-quit', (event) => {
    event.preventDefault()
    if (closing) return
    const closingPlugins = plugins
    engine = null
    plugins = null
    stopTray?.()
    closing = Promise.allSettled([running.close(), closingPlugins?.close()]).finally(() =>
      app.exit(0),
    )
  })
  const pluginService = await createPluginService({
    settings: storePluginSettings(store),
    defaultDest: join(app.getPath('downloads'), 'Playbook'),
    stateDir: join(home, 'plugins'),
    log,
    apiUrl: () => configuredApi(running, process.env.PLAYBOOK_API_URL ?? productionApiUrl),
  })
  plugins = pluginService
  if (closing) {
    // Quit while the plugin service was starting: it missed the close above.
    void pluginService.close()
    return
  }

  const platform: HandlerPlatform = {
    info: {
      name: 'Playbook Sync',
      version: app.getVersion(),
      platform: process.platform,
      host: 'electron',
      defaultApiUrl: process.env.PLAYBOOK_API_URL ?? productionApiUrl,
    },
    settings,
    chooseFolder: electronFolderChooser(() =>
      mainWindow && !mainWindow.isDestroyed() ? mainWindow : null,
    ),
    async openExternal(url) {
      if (!isExternalWebUrl(url)) throw new Error('Only http(s) links open in the browser')
      await shell.openExternal(url)
    },
    async showLogs() {
      shell.showItemInFolder(logFilePath())
    },
    stagedPaths() {
      throw new Error('upload:staged is for the headless host; the app uploads by path')
    },
    plugins: pluginService,
  }
  const emit: EmitEvent = (channel, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) sendEvent(mainWindow.webContents, channel, payload)
  }
  const handlers = createContractHandlers(running, platform, emit)
  serveContract(
    handlers,
    (sender, frameUrl) =>
      mainWindow !== null &&
      !mainWindow.isDestroyed() &&
      sender === mainWindow.webContents &&
      isRendererUrl(frameUrl, here),
  )

  const openUrl = async (url: string | null) => {
    if (url) await platform.openExternal(url)
  }
  const tray = createTray({
    pauseAll: () => running.pause(),
    resumeAll: () => running.resume(),
    syncNow: () =>
      void running.syncNow().catch((e: Error) => log.warn('Sync now failed', { error: e.message })),
    openWindow: showWindow,
    openBoard: () => {
      const board = settings.get().lastBoard
      if (board)
        void Promise.resolve(handlers['boards:web-url']({ board: board.token })).then(
          openUrl,
          () => {},
        )
    },
    openJob: (job) =>
      void Promise.resolve(handlers['jobs:web-url']({ id: job.id })).then(openUrl, () => {}),
    showLogs: () => void platform.showLogs(),
    quit: () => {
      quitting = true
      app.quit()
    },
  })
  const refreshTray = () => {
    if (closing) return
    const totals = running.totals()
    const status = trayStatus(running.session(), totals)
    const recent = running
      .jobs()
      .filter((j) => j.state.kind === 'done')
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, 5)
    tray.update({
      status,
      paused: totals.paused,
      boardTitle: settings.get().lastBoard?.title ?? null,
      recent,
    })
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setProgressBar(status.progress ?? -1)
  }
  let trayTimer: ReturnType<typeof setTimeout> | null = null
  stopTray = () => {
    if (trayTimer) clearTimeout(trayTimer)
    trayTimer = null
    tray.destroy()
  }
  const scheduleTray = () => {
    trayTimer ??= setTimeout(() => {
      trayTimer = null
      refreshTray()
    }, 500)
  }
  const notify = createSyncNotifier(
    (title, body) => {
      // Notifications outlive the app in the OS's notification centre: no signed URLs there either.
      if (Notification.isSupported())
        new Notification({ title, body: redactText(body, knownSecrets()) }).show()
    },
    () => settings.get().notifications,
  )
  bridgeEngineEvents(running, emit, {
    onEvent: (event) => {
      notify(event)
      scheduleTray()
    },
  })

  bridgePluginEvents(pluginService, emit)

  ready = true
  ensureWindow()
  refreshTray()
  applySettings(initial)

  await partnerBootstrap(running, partnerBootstrapState(store)).catch((error: Error) => {
    log.error('Partner bootstrap failed', { error: error.message })
  })
  if (pendingLink) {
    const link = pendingLink
    pendingLink = null
    await completeLink(link)
  }
}

// Every renderer sandboxed, whatever its webPreferences say (must run before 'ready').
app.enableSandbox()

// Every web contents, whoever made it: no webviews, no new windows, no navigation away.
app.on('web-contents-created', (_event, contents) => lockDownContents(contents, here))

// macOS delivers links here, possibly before the app is ready.
app.on('open-url', (event, url) => {
  event.preventDefault()
  onLink(url)
})

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv) => {
    showWindow()
    const link = findDeepLink(argv)
    if (link) void completeLink(link)
    else if (argv.some((arg) => arg.toLowerCase().startsWith(`${linkScheme}:`)))
      log.warn('Ignored a playbook-sync link that is not a sign-in link')
  })
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(linkScheme, process.execPath, [resolve(process.argv[1])])
  } else {
    app.setAsDefaultProtocolClient(linkScheme)
  }
  app.on('before-quit', () => {
    quitting = true
  })
  // The window closing does not stop syncing: the tray keeps the app alive.
  app.on('window-all-closed', () => {})
  app.on('activate', showWindow)
  void app.whenReady().then(() =>
    start().catch((error: Error) => {
      log.error('Start-up failed', { error: error.message })
      dialog.showErrorBox('Playbook Sync could not start', error.message)
      app.exit(1)
    }),
  )
}
