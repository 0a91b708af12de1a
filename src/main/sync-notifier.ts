/**
 * Decides which engine events deserve a desktop notification. Uploads are told as a digest when
 * the queue goes quiet ("24 files from Renders are on Spring Campaign"), never one per save;
 * what needs a person is told at once: files that could not be uploaded (in the same digest),
 * a folder that stopped syncing, an error notice (at most one every few seconds), and a session
 * that needs signing in again. Pure (no Electron), so it is unit-tested.
 */
import type { EngineEvent } from '../engine/engine-types.ts'

/** Shows one notification. */
export type Notify = (title: string, body: string) => void

/** What the digest needs to name a pair and a board. */
export interface NotifierNames {
  /** The folder's display name and its board's title, or null for a pair this run never saw. */
  pair(pairId: string): { readonly folder: string; readonly board: string } | null
  /** A board's title (for dropped files), falling back to its token. */
  board(token: string): string
}

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** Returns the event handler; `enabled` is read on every event (the setting can change). */
export function createSyncNotifier(
  notify: Notify,
  enabled: () => boolean,
  names: NotifierNames,
  now: () => number = Date.now,
  errorGapMs = 10_000,
): (event: EngineEvent) => void {
  let working = false
  /** Uploads finished this busy spell, by pair id (or `board:<token>` for dropped files). */
  let done = new Map<string, number>()
  let failed = new Map<string, number>()
  const seen = new Set<string>()
  const pairErrors = new Set<string>()
  let lastError = -Infinity
  const groupOf = (job: { pairId?: string; board: string }) =>
    job.pairId !== undefined ? `pair:${job.pairId}` : `board:${job.board}`
  const describe = (group: string): { from: string | null; board: string } => {
    if (group.startsWith('pair:')) {
      const pair = names.pair(group.slice(5))
      if (pair) return { from: pair.folder, board: pair.board }
      return { from: null, board: 'Playbook' }
    }
    return { from: null, board: names.board(group.slice(6)) }
  }
  const digest = () => {
    for (const [group, count] of done) {
      const { from, board } = describe(group)
      const files = plural(count, 'file', 'files')
      notify(
        from ? `${files} from ${from} synced` : `${files} uploaded`,
        from
          ? `${files} from ${from} ${count === 1 ? 'is' : 'are'} on ${board}`
          : `${files} ${count === 1 ? 'is' : 'are'} on ${board}`,
      )
    }
    const failures = [...failed.values()].reduce((a, b) => a + b, 0)
    if (failures > 0) {
      const groups = [...failed.keys()].map((g) => describe(g).from ?? describe(g).board)
      notify(
        `${plural(failures, 'file', 'files')} could not be uploaded`,
        `From ${groups.join(', ')}. Choose Retry all in the tray, or see why in Sync issues.`,
      )
    }
    done = new Map()
    failed = new Map()
    seen.clear()
  }
  return (event) => {
    if (!enabled()) return
    switch (event.type) {
      case 'totals': {
        const busy = event.totals.queued + event.totals.active > 0
        if (busy && !working) working = true
        else if (!busy && working) {
          working = false
          digest()
        }
        break
      }
      case 'session':
        if (event.session.kind === 'expired') {
          notify(
            'Sign in again',
            'Playbook Sync paused: your session ended. Nothing queued is lost.',
          )
        }
        break
      case 'job': {
        const { job } = event
        // One count per job and outcome, however many events it sends.
        const key = `${job.id}:${job.state.kind}`
        if (seen.has(key)) break
        if (job.state.kind === 'done') {
          seen.add(key)
          done.set(groupOf(job), (done.get(groupOf(job)) ?? 0) + 1)
        } else if (job.state.kind === 'failed') {
          seen.add(key)
          failed.set(groupOf(job), (failed.get(groupOf(job)) ?? 0) + 1)
        }
        break
      }
      case 'pair': {
        const { pair } = event
        if (pair.status.kind === 'error') {
          if (pairErrors.has(pair.id)) break
          pairErrors.add(pair.id)
          const name = names.pair(pair.id)?.folder ?? pair.folder
          notify(`${name} stopped syncing`, pair.status.hint ?? pair.status.reason)
        } else pairErrors.delete(pair.id)
        break
      }
      case 'notice':
        if (event.level === 'error' && now() - lastError >= errorGapMs) {
          lastError = now()
          notify('Playbook Sync', event.message)
        }
        break
      default:
        break
    }
  }
}
