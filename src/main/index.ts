/**
 * Electron main: thin glue around the engine. One instance; one locked-down window that hides on
 * close (syncing continues in the tray); `playbook-sync://` links treated as untrusted input; the
 * token in safeStorage; settings in electron-store; the contract served by the shared handlers;
 * quitting bounded in time. Optional pieces (sharp, the updater, a tray) may be missing: main
 * still starts.
 */
import type { BrowserWindow } from 'electron'
import { app, dialog } from './electron-api.ts'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { redactText } from '../shared/redact.ts'
import type { Logger, SecretStore } from '../engine/engine-types.ts'
import { appId } from './app-identity.ts'
import { linkScheme } from './deep-link.ts'
import { createLinkHandler } from './links.ts'
import { hiddenArg } from './login-item.ts'
import { initLogging } from './log.ts'
import { createShutdown } from './shutdown.ts'
import { showNotification } from './desktop-notification.ts'
import { start, type Started } from './start.ts'
import { rendererSource } from './url-policy.ts'
import { createMainWindow, lockDownContents } from './window.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const source = rendererSource(here, process.env, app.isPackaged)
let quitting = false
let mainWindow: BrowserWindow | null = null
let started: Started | null = null
/** Started at login: stay in the tray until the user opens the window. */
let showOnReady = !process.argv.includes(hiddenArg)
let knownToken: string | undefined
/** Other credentials this run has seen (a partner's integration token), redacted verbatim too. */
const otherSecrets = new Set<string>()
const knownSecrets = () => [...(knownToken ? [knownToken] : []), ...otherSecrets]

/** electron-log, or the console when it cannot start (a stand-in or broken install). */
function openLog(): Logger {
  try {
    return initLogging(knownSecrets)
  } catch (error) {
    console.error('Logging unavailable:', (error as Error).message)
    const line = (write: (...a: unknown[]) => void) => (message: string, fields?: object) =>
      write(redactText(`${message} ${fields ? JSON.stringify(fields) : ''}`, knownSecrets()))
    return { info: line(console.log), warn: line(console.warn), error: line(console.error) }
  }
}
const log = openLog()

// A stray rejection or exception in glue code must not take syncing down with a crash dialog;
// it is logged (redacted, like every line, with its stack) and the app carries on.
process.on('unhandledRejection', (reason) => {
  const error = reason instanceof Error ? reason : new Error(String(reason))
  log.error('Unhandled rejection in main', { error: error.message, stack: error.stack })
})
process.on('uncaughtException', (error) => {
  log.error('Uncaught exception in main', { error: error.message, stack: error.stack })
})

/** The window, made once the contract is served (never twice: a second one would be untrusted). */
function ensureWindow(): BrowserWindow | null {
  if (!app.isReady() || !started) return null
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow(
      source,
      () => quitting,
      () => showOnReady,
    )
  }
  return mainWindow
}

function showWindow(): void {
  // Before start-up finished the window is on its way and shows itself when ready.
  showOnReady = true
  tryStep('show window', () => {
    const win = ensureWindow()
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })
}

const currentWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null)

const links = createLinkHandler(
  {
    engine: () => (started && !shutdown.started() ? started.engine : null),
    window: currentWindow,
    showWindow,
    failed: (message) =>
      showNotification('Sign-in link did not work', redactText(message, knownSecrets())),
    log,
  },
  process.argv,
)

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

let engineUp: (value: Started) => void = () => {}
const engineReady = new Promise<Started>((resolveReady) => (engineUp = resolveReady))

/** Set once the engine closed (or the bound passed): the next quit goes through. */
let finishedQuit = false
const shutdown = createShutdown({
  onTimeout: () => log.warn('Quit did not wait any longer for the engine to close'),
  finish() {
    finishedQuit = true
    const updater = started?.updater
    if (updater?.ready()) {
      // Installs the downloaded update on the way out (electron-updater quits the app).
      try {
        updater.quitAndInstall(false)
        return
      } catch (error) {
        log.error('Could not install the update', { error: (error as Error).message })
      }
    }
    app.exit(0)
  },
})

function beginQuit(): void {
  quitting = true
  shutdown.begin(() => {
    const running = started
    if (running) {
      running.stop()
      return [running.engine.close(), running.plugins.close()]
    }
    // Quit mid start-up: close what start-up makes once it is there (the bound still applies).
    return [engineReady.then((s) => Promise.allSettled([s.engine.close(), s.plugins.close()]))]
  })
}

/** Runs one start-up call that a runtime may lack, logging instead of crashing. */
function tryStep(what: string, step: () => void): void {
  try {
    step()
  } catch (error) {
    log.error(`Start-up step failed: ${what}`, { error: (error as Error).message })
  }
}

/** Windows toasts and taskbar grouping need the same id the installer registers. */
if (process.platform === 'win32') tryStep('app user model id', () => app.setAppUserModelId(appId))

// Every renderer sandboxed, whatever its webPreferences say (must run before 'ready').
tryStep('sandbox', () => app.enableSandbox())

// Every web contents, whoever made it: no webviews, no new windows, no navigation away.
app.on('web-contents-created', (_event, contents) =>
  lockDownContents(contents, source, (what, error) =>
    log.error(`Could not set the ${what}`, { error: error.message }),
  ),
)

// macOS delivers links here, possibly before the app is ready.
app.on('open-url', (event, url) => {
  event.preventDefault()
  links.take(url)
})

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv) => {
    showWindow()
    links.takeArgv(argv)
  })
  // Installed copies declare the scheme in their packaging (Info.plist, the Linux desktop entry,
  // the Windows installer); this registers it at run time where the OS allows (Windows, macOS).
  try {
    if (process.defaultApp && process.argv[1]) {
      app.setAsDefaultProtocolClient(linkScheme, process.execPath, [resolve(process.argv[1])])
    } else {
      app.setAsDefaultProtocolClient(linkScheme)
    }
  } catch (error) {
    log.warn('Could not register the link scheme', { error: (error as Error).message })
  }
  // Closing the engine takes a moment: hold the quit, close within the bound, then exit.
  app.on('before-quit', (event) => {
    if (finishedQuit) return
    event.preventDefault()
    beginQuit()
  })
  // The window closing does not stop syncing: the tray keeps the app alive.
  app.on('window-all-closed', () => {})
  app.on('activate', showWindow)
  void app.whenReady().then(() =>
    start(
      {
        source,
        log,
        watchSecrets: watchedSecrets,
        addSecret: (value) => otherSecrets.add(value),
        knownSecrets,
        window: currentWindow,
        showWindow,
        quit: () => app.quit(),
      },
      (running) => {
        started = running
        engineUp(running)
        ensureWindow()
      },
    )
      .then(() => (shutdown.started() ? undefined : links.flush()))
      .catch((error: Error) => {
        log.error('Start-up failed', { error: error.message, stack: error.stack })
        dialog.showErrorBox('Playbook Sync could not start', error.message)
        app.exit(1)
      }),
  )
}
