/**
 * The renderer's state: a mirror of the host's snapshots and events (it never owns the queue),
 * plus purely visual state (screen, filter, toasts).
 */
import { createStore, useStore, type StoreApi, type UseBoundStore } from 'zustand'
import type { Board, SessionState } from '../../../shared/account-models.ts'
import type {
  AppInfo,
  AppSettings,
  DroppedFile,
  Notice,
  PluginActivityItem,
  PluginsState,
} from '../../../shared/contract.ts'
import type { QueueTotals } from '../../../shared/job-models.ts'
import type { PairSnapshot } from '../../../shared/pair-models.ts'
import type { SyncIssue, SyncOverview } from '../../../shared/sync-status-models.ts'
import type { ConnectionStatus } from '../../../host/client/ws-transport.ts'
import { emptyJobList, type JobFilter, type JobList } from '../lib/job-list.ts'

/** The screens a signed-in user moves between. */
export type Screen = 'activity' | 'pairs' | 'issues' | 'boards' | 'settings'

/** A notice on screen, with an id so it can be dismissed. */
export interface Toast extends Notice {
  readonly id: number
}

/** Everything the renderer shows. */
export interface AppState {
  readonly connection: ConnectionStatus
  readonly info: AppInfo | null
  /** null while loading. */
  readonly session: SessionState | null
  readonly loadError: string | null
  readonly jobs: JobList
  readonly totals: QueueTotals | null
  readonly pairs: readonly PairSnapshot[]
  /** The engine's one overall status (sidebar, cards and tray say the same); null while loading. */
  readonly overview: SyncOverview | null
  /** Every file that needs attention, from the engine. */
  readonly issues: readonly SyncIssue[]
  /** The Sync issues screen shows one folder's issues (its pair id), or all (null). */
  readonly issuesPair: string | null
  /** False until the first pair list arrived (the folders screen shows a loading state). */
  readonly pairsLoaded: boolean
  readonly boards: readonly Board[] | null
  readonly settings: AppSettings | null
  readonly screen: Screen
  readonly filter: JobFilter
  /** The activity screen shows uploads (by `filter`) or plugin work. */
  readonly activityView: 'uploads' | 'plugins'
  /** The plugin host's settings and status; null while loading. */
  readonly plugins: PluginsState | null
  /** Plugin work of this run, newest first. */
  readonly pluginItems: readonly PluginActivityItem[]
  readonly toasts: readonly Toast[]
  /** Dropped or pasted things waiting for the user to pick a board (never discarded silently). */
  readonly pendingDrop: PendingDrop | null
  /** The folders screen opens with the add-folder panel (first run: "Pair a folder"). */
  readonly addingPair: boolean
}

/** What was dropped while no board was chosen (or "another board" was asked for). */
export interface PendingDrop {
  readonly files: readonly DroppedFile[]
  readonly urls: readonly string[]
}

const initial: AppState = {
  connection: 'connecting',
  info: null,
  session: null,
  loadError: null,
  jobs: emptyJobList,
  totals: null,
  pairs: [],
  overview: null,
  issues: [],
  issuesPair: null,
  pairsLoaded: false,
  boards: null,
  settings: null,
  screen: 'activity',
  filter: 'all',
  activityView: 'uploads',
  plugins: null,
  pluginItems: [],
  toasts: [],
  pendingDrop: null,
  addingPair: false,
}

const store = createStore<AppState>()(() => initial)
// Drawn outside a browser (first-screen-markup.tsx), hooks read the "server snapshot", which
// zustand takes from `getInitialState`: there it must be the state drawn, not the first one.
const hookStore: StoreApi<AppState> = { ...store, getInitialState: store.getState }

/** The one store. Components select narrow slices so a progress tick re-renders only its row. */
export const useAppStore = Object.assign(
  <U>(selector: (state: AppState) => U = (state) => state as U): U => useStore(hookStore, selector),
  store,
) as UseBoundStore<StoreApi<AppState>>

let toastId = 0

/** Shows a toast; errors stay until dismissed, others fade after a few seconds. */
export function showToast(notice: Notice): void {
  // The same words again (a file named every scan) are not stacked twice.
  const shown = useAppStore.getState().toasts
  if (shown.some((t) => t.level === notice.level && t.message === notice.message)) return
  const toast = { ...notice, id: ++toastId }
  useAppStore.setState((s) => ({ toasts: [...s.toasts.slice(-4), toast] }))
  if (notice.level !== 'error') setTimeout(() => dismissToast(toast.id), 6000)
}

/** Removes a toast. */
export function dismissToast(id: number): void {
  useAppStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
}

/** Moves to a screen. */
export function goTo(screen: Screen): void {
  useAppStore.setState({ screen, ...(screen === 'issues' ? {} : { issuesPair: null }) })
}

/** Opens the folders screen with the add-folder panel open. */
export function pairAFolder(): void {
  useAppStore.setState({ screen: 'pairs', addingPair: true })
}

/** Opens Sync issues for one folder (or all). */
export function showIssues(pairId: string | null): void {
  useAppStore.setState({ screen: 'issues', issuesPair: pairId })
}
