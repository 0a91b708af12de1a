/**
 * Decides which engine events deserve a desktop notification: a sync that finished, failures
 * (at most one every few seconds), and a session that needs signing in again. Pure (no Electron),
 * so it is unit-tested; main passes a function that shows the notification.
 */
import type { EngineEvent } from '../engine/engine-types.ts'

/** Shows one notification. */
export type Notify = (title: string, body: string) => void

/** Returns the event handler; `enabled` is read on every event (the setting can change). */
export function createSyncNotifier(
  notify: Notify,
  enabled: () => boolean,
  now: () => number = Date.now,
  errorGapMs = 10_000,
): (event: EngineEvent) => void {
  let working = false
  let doneAtStart = 0
  let lastError = -Infinity
  return (event) => {
    if (!enabled()) return
    switch (event.type) {
      case 'totals': {
        const busy = event.totals.queued + event.totals.active > 0
        if (busy && !working) {
          working = true
          doneAtStart = event.totals.done
        } else if (!busy && working) {
          working = false
          const uploaded = event.totals.done - doneAtStart
          const failed = event.totals.failed
          if (uploaded > 0 || failed > 0) {
            const parts = [`${uploaded} uploaded`, ...(failed > 0 ? [`${failed} failed`] : [])]
            notify('Sync finished', parts.join(', '))
          }
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
      case 'job':
        if (event.job.state.kind === 'failed' && now() - lastError >= errorGapMs) {
          lastError = now()
          notify(`Could not upload ${event.job.title}`, event.job.state.reason)
        }
        break
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
