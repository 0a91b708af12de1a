/**
 * What the boot tests and the stand-in `electron` say to each other over the child's IPC channel:
 * commands from the test, and the stand-in's record of what main did with Electron.
 */

/** A menu item as the stand-in keeps it (the template main built). */
export interface RecordedMenuItem {
  readonly label?: string
  readonly type?: string
  readonly enabled?: boolean
  readonly submenu?: readonly RecordedMenuItem[]
}

/** Everything main asked of Electron, as plain data. */
export interface StandInRecord {
  readonly ready: boolean
  readonly calls: readonly { readonly api: string; readonly args: readonly unknown[] }[]
  readonly windows: readonly {
    readonly options: Record<string, unknown>
    readonly url: string | null
    readonly shown: boolean
  }[]
  readonly handled: readonly string[]
  readonly listened: readonly string[]
  readonly sent: readonly { readonly channel: string; readonly payload: unknown }[]
  readonly tray: { readonly tooltip: string; readonly menu: readonly RecordedMenuItem[] } | null
  /** The application menu (menu bar). */
  readonly menu: readonly RecordedMenuItem[]
  readonly notifications: readonly { readonly title: string; readonly body: string }[]
  readonly dialogs: readonly { readonly message: string }[]
}

/** Commands the test sends. */
export type StandInCommand =
  | { readonly cmd: 'state' }
  | {
      readonly cmd: 'invoke'
      readonly channel: string
      readonly payload?: unknown
      /** The frame URL the call claims to come from (default: the window's URL). */
      readonly frameUrl?: string
    }
  | { readonly cmd: 'click'; readonly path: readonly string[]; readonly menu?: 'tray' | 'app' }
  | { readonly cmd: 'second-instance'; readonly argv: readonly string[] }
  | { readonly cmd: 'open-url'; readonly url: string }
  | { readonly cmd: 'dialog-responses'; readonly responses: readonly number[] }
  /** Folders the next native open dialogs answer with (the user's pick). */
  | { readonly cmd: 'open-dialog-paths'; readonly paths: readonly string[] }
  | { readonly cmd: 'quit' }
  | { readonly cmd: 'throw'; readonly message: string }

/** One command on the wire. */
export type StandInRequest = StandInCommand & { readonly id: number }

/** The stand-in's answer. */
export type StandInReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string }
