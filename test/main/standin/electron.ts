/**
 * A stand-in for the parts of `electron` the app uses, for booting the BUILT main under plain Node
 * (no Electron binary can run on the machines the tests run on). It records every call main makes
 * and takes commands from the test over the child's IPC channel (see protocol.ts). Every member
 * is checked against Electron's own types: a name Electron does not have fails the typecheck.
 * Run by Node's type stripping: erasable TypeScript only.
 */
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type * as Electron from 'electron'
import type {
  RecordedMenuItem,
  StandInCommand,
  StandInRecord,
  StandInReply,
  StandInRequest,
} from './protocol.ts'

type Named<T> = Partial<Record<keyof T, unknown>>
type Listener = (...args: never[]) => unknown

const env = process.env
const base = env.STANDIN_USER_DATA ?? join(process.cwd(), '.standin')
const calls: { api: string; args: unknown[] }[] = []
const record = (api: string, ...args: unknown[]) => {
  calls.push({ api, args: JSON.parse(JSON.stringify(args ?? [])) as unknown[] })
}
const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>()
const listened = new Map<string, Listener[]>()
const sent: { channel: string; payload: unknown }[] = []
const notifications: { title: string; body: string }[] = []
const dialogs: { message: string }[] = []
const openDialogPaths: string[] = []
const dialogResponses: number[] = []
let ready = false

// What Electron itself sets on process.
Object.assign(process, {
  type: 'browser',
  resourcesPath: env.STANDIN_RESOURCES ?? join(dirname(process.argv[1] ?? '.'), '..', '..'),
  ...(env.STANDIN_PACKAGED === '1' ? {} : { defaultApp: true }),
})
Object.assign(process.versions, { electron: process.versions.electron ?? '45.4.1' })

function readVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(join(dirname(process.argv[1] ?? '.'), '..', '..', 'package.json'), 'utf8'),
    ) as { version?: string }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

class StandInApp extends EventEmitter {
  readonly isPackaged = env.STANDIN_PACKAGED === '1'
  name = 'Playbook Sync'
  #ready = false
  #readyPromise = new Promise<void>((resolve) =>
    setImmediate(() => {
      this.#ready = true
      this.emit('ready')
      resolve()
    }),
  )
  whenReady() {
    return this.#readyPromise
  }
  isReady() {
    return this.#ready
  }
  getVersion() {
    return readVersion()
  }
  getName() {
    return this.name
  }
  getPath(name: string) {
    const paths: Record<string, string> = {
      userData: join(base, 'userData'),
      logs: join(base, 'userData', 'logs'),
      appData: base,
      downloads: join(base, 'Downloads'),
      home: base,
      temp: join(base, 'tmp'),
      sessionData: join(base, 'userData'),
    }
    return paths[name] ?? join(base, name)
  }
  enableSandbox() {
    record('app.enableSandbox')
  }
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock')
    return env.STANDIN_LOCK !== 'taken'
  }
  setAsDefaultProtocolClient(...args: unknown[]) {
    record('app.setAsDefaultProtocolClient', ...args)
    return true
  }
  setAppUserModelId(id: string) {
    record('app.setAppUserModelId', id)
  }
  setLoginItemSettings(settings: unknown) {
    record('app.setLoginItemSettings', settings)
  }
  getLoginItemSettings() {
    return { openAtLogin: false, wasOpenedAtLogin: false }
  }
  focus() {}
  quit() {
    record('app.quit')
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) }
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    this.emit('will-quit', { preventDefault() {} })
    this.emit('quit', {}, 0)
    setImmediate(() => process.exit(0))
  }
  exit(code = 0) {
    record('app.exit', code)
    process.exit(code)
  }
}

class StandInWebContents extends EventEmitter {
  static #next = 1
  readonly id = StandInWebContents.#next++
  readonly session = env.STANDIN_MINIMAL === '1' ? undefined : defaultSession
  #destroyed = false
  url: string | null = null
  send(channel: string, payload: unknown) {
    sent.push({ channel, payload: JSON.parse(JSON.stringify(payload ?? null)) as unknown })
  }
  isDestroyed() {
    return this.#destroyed
  }
  isCrashed() {
    return false
  }
  setWindowOpenHandler(handler: unknown) {
    record('webContents.setWindowOpenHandler', typeof handler)
  }
  getURL() {
    return this.url ?? ''
  }
  destroy() {
    this.#destroyed = true
  }
}

const defaultSession = {
  setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
  setPermissionCheckHandler: () => record('session.setPermissionCheckHandler'),
} satisfies Named<Electron.Session>

const windows: StandInBrowserWindow[] = []
const allContents: StandInWebContents[] = []

class StandInBrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.isDestroyed())
  }
  readonly webContents: StandInWebContents
  readonly options: Record<string, unknown>
  shown = false
  #destroyed = false
  #minimized = false
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    this.webContents = new StandInWebContents()
    allContents.push(this.webContents)
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  async loadURL(url: string) {
    this.webContents.url = url
    ready = true
    setImmediate(() => this.emit('ready-to-show'))
  }
  show() {
    this.shown = true
  }
  hide() {
    this.shown = false
  }
  focus() {}
  isMinimized() {
    return this.#minimized
  }
  restore() {
    this.#minimized = false
  }
  isDestroyed() {
    return this.#destroyed
  }
  setProgressBar(progress: number) {
    void progress
  }
  close() {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) }
    this.emit('close', event)
    if (!event.defaultPrevented) this.#destroyed = true
  }
}

const ipcMain = {
  handle(channel: string, handler: (event: unknown, payload: unknown) => unknown) {
    if (handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, handler)
  },
  removeHandler(channel: string) {
    handlers.delete(channel)
  },
  on(channel: string, listener: Listener) {
    listened.set(channel, [...(listened.get(channel) ?? []), listener])
    return ipcMain
  },
  removeAllListeners(channel?: string) {
    if (channel === undefined) listened.clear()
    else listened.delete(channel)
    return ipcMain
  },
  removeListener(channel: string, listener: Listener) {
    listened.set(
      channel,
      (listened.get(channel) ?? []).filter((l) => l !== listener),
    )
    return ipcMain
  },
} satisfies Named<Electron.IpcMain>

interface TemplateItem {
  label?: string
  type?: string
  enabled?: boolean
  click?: () => void
  submenu?: TemplateItem[]
}
let applicationMenu: TemplateItem[] = []
const Menu = {
  buildFromTemplate: (template: TemplateItem[]) => ({ items: template }),
  setApplicationMenu: (menu: { items: TemplateItem[] } | null) => {
    applicationMenu = menu?.items ?? []
  },
} satisfies Named<typeof Electron.Menu>

const trays: StandInTray[] = []
const currentTray = () => trays.at(-1) ?? null
class StandInTray extends EventEmitter {
  tooltip = ''
  menu: TemplateItem[] = []
  #destroyed = false
  constructor(image: unknown) {
    super()
    void image
    trays.push(this)
  }
  setImage(image: unknown) {
    void image
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setContextMenu(menu: { items: TemplateItem[] } | null) {
    this.menu = menu?.items ?? []
  }
  isDestroyed() {
    return this.#destroyed
  }
  destroy() {
    this.#destroyed = true
  }
}

const nativeImage = {
  createFromBuffer: () => ({ addRepresentation() {}, isEmpty: () => false }),
  createEmpty: () => ({ addRepresentation() {}, isEmpty: () => true }),
} satisfies Named<typeof Electron.nativeImage>

class StandInNotification extends EventEmitter {
  static isSupported() {
    return true
  }
  readonly options: { title?: string; body?: string }
  constructor(options: { title?: string; body?: string }) {
    super()
    this.options = options
  }
  show() {
    notifications.push({ title: this.options.title ?? '', body: this.options.body ?? '' })
  }
}

const dialog = {
  async showMessageBox(...args: unknown[]) {
    const options = (args.length > 1 ? args[1] : args[0]) as { message: string; cancelId?: number }
    dialogs.push({ message: options.message })
    return { response: dialogResponses.shift() ?? options.cancelId ?? 0, checkboxChecked: false }
  },
  async showOpenDialog() {
    // What the user picks in the native dialog: set by the test, once per dialog.
    const path = openDialogPaths.shift()
    record('dialog.showOpenDialog', path ?? null)
    return path === undefined
      ? { canceled: true, filePaths: [] }
      : { canceled: false, filePaths: [path] }
  },
  showErrorBox(title: string, content: string) {
    record('dialog.showErrorBox', title, content)
  },
} satisfies Named<Electron.Dialog>

const shell = {
  async openExternal(url: string) {
    record('shell.openExternal', url)
  },
  async openPath(path: string) {
    record('shell.openPath', path)
    return ''
  },
  showItemInFolder(path: string) {
    record('shell.showItemInFolder', path)
  },
} satisfies Named<Electron.Shell>

const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text' as const,
  encryptString: (plain: string) => Buffer.from(plain),
  decryptString: (sealed: Buffer) => sealed.toString(),
} satisfies Named<Electron.SafeStorage>

const webContents = {
  getAllWebContents: () => allContents.filter((c) => !c.isDestroyed()),
} satisfies Named<typeof Electron.webContents>

const session = { defaultSession } satisfies Named<typeof Electron.session>

export const app = new StandInApp()

/**
 * STANDIN_MINIMAL=1: a poorer runtime (no tray, notifications, safeStorage or session, no
 * sandbox switch, windows without progress bars or window-open handlers), as another stand-in or
 * an odd desktop may be. Main must still start and serve the contract.
 */
const minimal = env.STANDIN_MINIMAL === '1'
if (minimal) {
  const strip = (target: object, names: string[]) => {
    for (const name of names) Object.defineProperty(target, name, { value: undefined })
  }
  strip(app, ['enableSandbox', 'setAsDefaultProtocolClient'])
  strip(StandInBrowserWindow.prototype, ['setProgressBar'])
  strip(StandInWebContents.prototype, ['setWindowOpenHandler'])
}
const TrayExport = minimal ? undefined : StandInTray
const NotificationExport = minimal ? undefined : StandInNotification
const safeStorageExport = minimal ? undefined : safeStorage
export {
  StandInBrowserWindow as BrowserWindow,
  NotificationExport as Notification,
  TrayExport as Tray,
  Menu,
  dialog,
  ipcMain,
  nativeImage,
  safeStorageExport as safeStorage,
  session,
  shell,
  webContents,
}
const electron = {
  app,
  BrowserWindow: StandInBrowserWindow,
  Notification: NotificationExport,
  Tray: TrayExport,
  Menu,
  dialog,
  ipcMain,
  nativeImage,
  safeStorage: safeStorageExport,
  session,
  shell,
  webContents,
} satisfies Named<typeof Electron>
export default electron

// ---- the test's side -------------------------------------------------------------------------

const plainMenu = (items: readonly TemplateItem[]): RecordedMenuItem[] =>
  items.map((item) => ({
    ...(item.label !== undefined ? { label: item.label } : {}),
    ...(item.type !== undefined ? { type: item.type } : {}),
    ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
    ...(item.submenu ? { submenu: plainMenu(item.submenu) } : {}),
  }))

function state(): StandInRecord {
  return {
    ready,
    calls,
    windows: windows.map((w) => ({
      options: JSON.parse(JSON.stringify(w.options)) as Record<string, unknown>,
      url: w.webContents.url,
      shown: w.shown,
    })),
    handled: [...handlers.keys()],
    listened: [...listened.entries()].filter(([, l]) => l.length > 0).map(([c]) => c),
    sent,
    tray: trayRecord(currentTray()),
    menu: plainMenu(applicationMenu),
    notifications,
    dialogs,
  }
}

function trayRecord(tray: StandInTray | null): StandInRecord['tray'] {
  return tray && !tray.isDestroyed() ? { tooltip: tray.tooltip, menu: plainMenu(tray.menu) } : null
}

function findItem(items: readonly TemplateItem[], path: readonly string[]): TemplateItem {
  const [first, ...rest] = path
  const item = items.find((i) => i.label === first || (first && i.label?.startsWith(first)))
  if (!item) throw new Error(`No tray item "${first}" in ${items.map((i) => i.label).join(' | ')}`)
  return rest.length === 0 ? item : findItem(item.submenu ?? [], rest)
}

async function run(command: StandInCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'state':
      return state()
    case 'invoke': {
      const handler = handlers.get(command.channel)
      if (!handler) throw new Error(`No handler registered for '${command.channel}'`)
      const win = windows.at(-1)
      if (!win) throw new Error('No window')
      const event = {
        sender: win.webContents,
        senderFrame: { url: command.frameUrl ?? win.webContents.url, parent: null },
      }
      return handler(event, command.payload)
    }
    case 'click': {
      const tray = currentTray()
      const menu = command.menu === 'app' ? applicationMenu : tray?.menu
      if (!menu) throw new Error('No tray')
      const item = findItem(menu, command.path)
      if (!item.click) throw new Error(`Tray item "${item.label}" does nothing`)
      item.click()
      return item.label
    }
    case 'second-instance':
      app.emit('second-instance', { preventDefault() {} }, command.argv, process.cwd())
      return null
    case 'open-url':
      app.emit('open-url', { preventDefault() {} }, command.url)
      return null
    case 'dialog-responses':
      dialogResponses.push(...command.responses)
      return null
    case 'open-dialog-paths':
      openDialogPaths.push(...command.paths)
      return null
    case 'quit':
      app.quit()
      return null
    case 'throw':
      setImmediate(() => {
        throw new Error(command.message)
      })
      return null
  }
}

process.on('message', (message: StandInRequest) => {
  const reply = (answer: StandInReply) => process.send?.(answer)
  run(message).then(
    (value) =>
      reply({ id: message.id, ok: true, value: JSON.parse(JSON.stringify(value ?? null)) }),
    (error: Error) => reply({ id: message.id, ok: false, error: error.message }),
  )
})
