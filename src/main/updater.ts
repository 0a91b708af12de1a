/**
 * Self-update with electron-updater from the project's GitHub releases: a check at start and every
 * few hours (and from the tray or the UI), the download in the background, the install when the
 * app quits or when the user chooses "Restart to update". Off in development, and off (with the
 * reason) in a copy electron-updater cannot update (an unpacked folder, a Linux install that is
 * neither AppImage nor deb). electron-updater is loaded lazily: a copy without it still starts.
 */
import type { Logger } from '../engine/engine-types.ts'
import type { UpdateStatus } from '../shared/update-models.ts'

/** An event listener whose arguments each event types for itself (method-style: bivariant). */
type UpdaterListener = { bivariant(...args: unknown[]): void }['bivariant']

/** The slice of electron-updater's AppUpdater this module drives. */
export interface AutoUpdater {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  logger: unknown
  on(event: string, listener: UpdaterListener): unknown
  checkForUpdates(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
}

/** What main, the tray and the contract handlers use. */
export interface Updater {
  status(): UpdateStatus
  check(): Promise<UpdateStatus>
  /** True once an update is downloaded: quitting installs it. */
  ready(): boolean
  /** Hands over to the installer; `restart` opens the updated app afterwards. */
  quitAndInstall(restart: boolean): void
}

const checkEveryMs = 6 * 60 * 60 * 1000

/** Why a copy does not update itself. */
export const updateDisabledReasons = {
  development: 'Updates are off in development builds. Install a release to get them.',
  unsupported:
    'This copy cannot update itself. Install it from a release (dmg, the Windows installer, AppImage or deb).',
  missing: 'The updater is missing from this copy. Install it from a release.',
} as const

/** electron-updater's autoUpdater, loaded only in a packaged app. */
async function loadElectronUpdater(): Promise<AutoUpdater> {
  const mod = (await import('electron-updater')) as unknown as {
    default?: { autoUpdater?: AutoUpdater }
    autoUpdater?: AutoUpdater
  }
  const updater = mod.autoUpdater ?? mod.default?.autoUpdater
  if (!updater) throw new Error('electron-updater has no autoUpdater')
  return updater
}

/**
 * "Restart to update" never cuts uploads short unless the user says so: with uploads running it
 * asks (`ask` gets their count) and restarts only on yes. Returns whether it restarted.
 */
export async function installUnlessBusy(
  updater: Pick<Updater, 'ready' | 'quitAndInstall'>,
  busyUploads: number,
  ask: (busy: number) => Promise<boolean>,
): Promise<boolean> {
  if (!updater.ready()) return false
  if (busyUploads > 0 && !(await ask(busyUploads))) return false
  updater.quitAndInstall(true)
  return true
}

/** Starts the updater (or a disabled one); `onChange` hears every status. */
export async function createUpdater(input: {
  packaged: boolean
  log: Logger
  onChange(status: UpdateStatus): void
  now?: () => number
  /** Loads electron-updater's autoUpdater (tests pass a fake). */
  load?: () => Promise<AutoUpdater>
}): Promise<Updater & { stop(): void }> {
  const { log, onChange } = input
  const now = input.now ?? Date.now
  let status: UpdateStatus = { kind: 'disabled', reason: updateDisabledReasons.development }
  const set = (next: UpdateStatus) => {
    status = next
    onChange(next)
  }
  const disabled = (reason: string) => ({
    status: () => status,
    check: async () => status,
    ready: () => false,
    quitAndInstall: () => {},
    stop: () => {},
    reason,
  })
  if (!input.packaged) return disabled(updateDisabledReasons.development)

  let updater: AutoUpdater
  try {
    updater = await (input.load ?? loadElectronUpdater)()
  } catch (error) {
    log.warn('Updater unavailable', { error: (error as Error).message })
    status = { kind: 'disabled', reason: updateDisabledReasons.missing }
    return disabled(updateDisabledReasons.missing)
  }
  status = { kind: 'idle' }
  updater.autoDownload = true
  // Installing is ours to start: main's shutdown closes the engine first, within its bound.
  updater.autoInstallOnAppQuit = false
  updater.logger = {
    info: (m: unknown) => log.info(`updater: ${String(m)}`),
    warn: (m: unknown) => log.warn(`updater: ${String(m)}`),
    error: (m: unknown) => log.error(`updater: ${String(m)}`),
    debug: () => {},
  }
  updater.on('checking-for-update', () => set({ kind: 'checking' }))
  updater.on('update-not-available', () => set({ kind: 'up-to-date', checkedAt: now() }))
  updater.on('update-available', (info: { version: string }) =>
    set({ kind: 'downloading', version: info.version, percent: 0 }),
  )
  updater.on('download-progress', (progress: { percent: number }) => {
    if (status.kind === 'downloading')
      set({ ...status, percent: Math.max(0, Math.min(100, Math.round(progress.percent))) })
  })
  updater.on('update-downloaded', (info: { version: string }) =>
    set({ kind: 'ready', version: info.version }),
  )
  updater.on('error', (error: Error) => {
    if (status.kind !== 'ready') set({ kind: 'error', message: error?.message ?? String(error) })
  })

  const check = async (): Promise<UpdateStatus> => {
    if (status.kind === 'ready' || status.kind === 'downloading' || status.kind === 'disabled')
      return status
    try {
      const result = await updater.checkForUpdates()
      // null: electron-updater is not active in this copy (not an installed release).
      if (result === null) set({ kind: 'disabled', reason: updateDisabledReasons.unsupported })
    } catch (error) {
      const now = status as UpdateStatus
      if (now.kind !== 'ready') set({ kind: 'error', message: (error as Error).message })
    }
    return status
  }
  void check()
  const timer = setInterval(() => void check(), checkEveryMs)
  timer.unref()
  return {
    status: () => status,
    check,
    ready: () => status.kind === 'ready',
    quitAndInstall: (restart) => updater.quitAndInstall(!restart, restart),
    stop: () => clearInterval(timer),
  }
}
