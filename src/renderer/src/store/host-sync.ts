/**
 * Keeps the store in step with the host: subscribes to every event channel, loads snapshots on
 * connect and reconnect, and turns host errors into toasts. The only writer of mirrored state.
 */
import type { PlaybookApi } from '../../../shared/contract.ts'
import type { Connection } from '../api.ts'
import { firstScreenJobs } from '../../../shared/first-screen.ts'
import { applyJobs, fromSnapshot } from '../lib/job-list.ts'
import { afterFirstPaint } from '../after-paint.ts'
import { mergePluginItems } from '../lib/plugin-items.ts'
import { showToast, useAppStore } from './app-store.ts'

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  // Electron prefixes errors from main: keep only what the handler said.
  return message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '')
}

/**
 * Loads what a signed-in user sees: the queue, pairs and boards. A start-up (no jobs known yet)
 * draws its first screen from the newest jobs and asks for the rest once that is painted: the
 * first row does not wait for 10,000 jobs to be read, sent and merged.
 */
export async function loadSignedIn(api: PlaybookApi): Promise<void> {
  const newest = useAppStore.getState().jobs.byId.size === 0 ? firstScreenJobs : undefined
  const [snapshot, pairs, overview, issues] = await Promise.all([
    api.invoke('jobs:snapshot', newest === undefined ? {} : { newest }),
    api.invoke('pairs:list'),
    api.invoke('status:overview'),
    api.invoke('issues:list', {}),
  ])
  const partial = newest !== undefined && snapshot.jobs.length >= newest
  useAppStore.setState((s) => ({
    jobs: fromSnapshot(s.jobs, snapshot.jobs, partial),
    totals: snapshot.totals,
    pairs,
    overview,
    issues,
    pairsLoaded: true,
  }))
  if (partial) afterFirstPaint(() => void loadEveryJob(api))
  await loadBoards(api)
}

/** Completes a first screen's list with every job; a failure says so (a reconnect loads again). */
async function loadEveryJob(api: PlaybookApi): Promise<void> {
  try {
    const snapshot = await api.invoke('jobs:snapshot', {})
    useAppStore.setState((s) => ({
      jobs: fromSnapshot(s.jobs, snapshot.jobs),
      totals: snapshot.totals,
    }))
  } catch (error) {
    showToast({ level: 'error', message: `Could not load older uploads: ${errorMessage(error)}` })
  }
}

/** (Re)loads the board list; failures show on the boards screen. */
export async function loadBoards(api: PlaybookApi, query?: string): Promise<void> {
  try {
    const boards = await api.invoke('boards:list', query ? { query } : {})
    useAppStore.setState({ boards })
  } catch (error) {
    useAppStore.setState({ boards: [] })
    showToast({ level: 'error', message: `Could not load boards: ${errorMessage(error)}` })
  }
}

let issuesReload: ReturnType<typeof setTimeout> | undefined

/** Reloads the Sync issues list soon (coalescing bursts of pair changes into one call). */
export function reloadIssues(api: PlaybookApi): void {
  if (issuesReload) return
  issuesReload = setTimeout(() => {
    issuesReload = undefined
    api.invoke('issues:list', {}).then(
      (issues) => useAppStore.setState({ issues }),
      () => {},
    )
  }, 150)
}

/** Loads the plugin host's state and this run's plugin work (neither needs a session). */
export async function loadPlugins(api: PlaybookApi): Promise<void> {
  const [plugins, items] = await Promise.all([
    api.invoke('plugins:get'),
    api.invoke('plugins:items'),
  ])
  useAppStore.setState({ plugins, pluginItems: mergePluginItems([], items) })
}

/** Loads everything from scratch (start-up and after a reconnect). */
export async function loadAll(api: PlaybookApi): Promise<void> {
  try {
    const [info, session, settings] = await Promise.all([
      api.invoke('app:info'),
      api.invoke('session:get'),
      api.invoke('settings:get'),
    ])
    useAppStore.setState({ info, session, settings, loadError: null })
    // Both at once: the queue does not wait a round trip for the plugin host's state.
    await Promise.all([
      loadPlugins(api),
      session.kind === 'signed-in' && session.org ? loadSignedIn(api) : undefined,
    ])
  } catch (error) {
    useAppStore.setState({ loadError: errorMessage(error) })
  }
}

/** Wires events into the store; returns a function that unhooks everything. */
export function syncWithHost(connection: Connection): () => void {
  const { api } = connection
  const offs = [
    api.on('session:changed', (session) => {
      const before = useAppStore.getState().session
      useAppStore.setState({ session })
      const wasReady = before?.kind === 'signed-in' && before.org !== null
      if (session.kind === 'signed-in' && session.org && !wasReady) {
        // Errors from before signing in again are history now.
        useAppStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.level !== 'error') }))
        void loadSignedIn(api)
      }
      if (session.kind === 'signed-out') {
        useAppStore.setState({ boards: null, pairs: [], pairsLoaded: false, screen: 'activity' })
      }
    }),
    api.on('job:changed', (job) =>
      useAppStore.setState((s) => ({ jobs: applyJobs(s.jobs, [job]) })),
    ),
    api.on('job:progress', (jobs) =>
      useAppStore.setState((s) => ({ jobs: applyJobs(s.jobs, jobs) })),
    ),
    api.on('totals:changed', (totals) => useAppStore.setState({ totals })),
    api.on('pair:changed', (pair) => {
      const before = useAppStore.getState().pairs.find((p) => p.id === pair.id)
      useAppStore.setState((s) => ({
        pairs: s.pairs.some((p) => p.id === pair.id)
          ? s.pairs.map((p) => (p.id === pair.id ? pair : p))
          : [...s.pairs, pair],
      }))
      if (before?.tally.attention !== pair.tally.attention || pair.tally.attention > 0)
        reloadIssues(api)
    }),
    api.on('overview:changed', (overview) => useAppStore.setState({ overview })),
    api.on('pair:removed', ({ id }) => {
      useAppStore.setState((s) => ({ pairs: s.pairs.filter((p) => p.id !== id) }))
      reloadIssues(api)
    }),
    // The sign-in screen says "Your session ended" itself: no toast on top of it.
    api.on('notice', (notice) => {
      if (!notice.message.startsWith('Your session ended.')) showToast(notice)
    }),
    api.on('settings:changed', (settings) => useAppStore.setState({ settings })),
    api.on('plugins:changed', (plugins) => useAppStore.setState({ plugins })),
    api.on('plugins:activity', (items) =>
      useAppStore.setState((s) => ({ pluginItems: mergePluginItems(s.pluginItems, items) })),
    ),
    connection.onStatus((status) => {
      const before = useAppStore.getState().connection
      useAppStore.setState({ connection: status })
      if (status === 'open' && before !== 'open') void loadAll(api)
    }),
  ]
  useAppStore.setState({ connection: connection.status() })
  // The socket reports 'open' through onStatus (it cannot have opened yet); IPC is open at once.
  if (connection.status() === 'open') void loadAll(api)
  return () => offs.forEach((off) => off())
}
