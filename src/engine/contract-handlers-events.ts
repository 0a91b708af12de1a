/**
 * The engine's and the plugin service's events, forwarded to renderers as contract events: state
 * changes at once, progress coalesced a few times a second so thousands of busy jobs cannot flood
 * a window. Both hosts (Electron main, the headless host) forward through these.
 */
import type { EmitEvent, PluginActivityItem } from '../shared/contract.ts'
import type { JobSnapshot, QueueTotals } from '../shared/job-models.ts'
import { assertNever } from '../shared/assert-never.ts'
import type { Engine, EngineEvent } from './engine-types.ts'
import type { PluginService } from './plugin-service.ts'

/**
 * Forwards the plugin service's events to renderers: status changes at once, item updates
 * coalesced (latest per item) a few times a second. Returns a function that stops forwarding.
 */
export function bridgePluginEvents(
  plugins: PluginService,
  emit: EmitEvent,
  progressIntervalMs = 150,
): () => void {
  const pending = new Map<string, PluginActivityItem>()
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    timer = null
    if (pending.size === 0) return
    emit('plugins:activity', [...pending.values()])
    pending.clear()
  }
  const unsubscribe = plugins.subscribe((event) => {
    switch (event.type) {
      case 'state':
        emit('plugins:changed', event.state)
        break
      case 'item':
        pending.set(event.item.id, event.item)
        timer ??= setTimeout(flush, progressIntervalMs)
        break
      default:
        assertNever(event, 'plugin service event')
    }
  })
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    timer = null
  }
}

/** Options for `bridgeEngineEvents`. */
export interface BridgeOptions {
  /** How often batched progress and totals are sent (ms). */
  readonly progressIntervalMs?: number
  /** Called for every engine event after it was forwarded (tray, notifications). */
  readonly onEvent?: (event: EngineEvent) => void
}

/**
 * Forwards engine events to renderers as contract events. State changes go at once; progress and
 * totals are coalesced (latest per job) and sent a few times a second, so 10,000 busy jobs cannot
 * flood the renderer. Returns a function that stops forwarding.
 */
export function bridgeEngineEvents(
  engine: Engine,
  emit: EmitEvent,
  options: BridgeOptions = {},
): () => void {
  const interval = options.progressIntervalMs ?? 150
  const progress = new Map<string, JobSnapshot>()
  let totals: QueueTotals | null = null
  let totalsSentAt = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null

  const flush = () => {
    timer = null
    if (progress.size > 0) {
      emit('job:progress', [...progress.values()])
      progress.clear()
    }
    if (totals) {
      emit('totals:changed', totals)
      totals = null
      totalsSentAt = Date.now()
    }
  }
  const schedule = () => {
    if (!timer) timer = setTimeout(flush, interval)
  }
  // Totals go out at once when the last ones are old enough (so a finished job and the count
  // that includes it arrive together), otherwise with the next batch.
  const sendTotals = (next: QueueTotals) => {
    if (!timer && Date.now() - totalsSentAt >= interval) {
      emit('totals:changed', next)
      totalsSentAt = Date.now()
      return
    }
    totals = next
    schedule()
  }

  const unsubscribe = engine.subscribe((event) => {
    switch (event.type) {
      case 'session':
        emit('session:changed', event.session)
        break
      case 'job':
        progress.delete(event.job.id)
        emit('job:changed', event.job)
        break
      case 'job-progress':
        progress.set(event.job.id, event.job)
        schedule()
        break
      case 'totals':
        sendTotals(event.totals)
        break
      case 'pair':
        emit('pair:changed', event.pair)
        break
      case 'pair-removed':
        emit('pair:removed', { id: event.pairId })
        break
      case 'overview':
        emit('overview:changed', event.overview)
        break
      case 'notice':
        emit('notice', { level: event.level, message: event.message })
        break
      default:
        assertNever(event, 'engine event')
    }
    options.onEvent?.(event)
  })
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    timer = null
  }
}
