/**
 * The queue's event delivery: events are collected during a synchronous step and delivered right
 * after it (never inside a transaction), with one fresh `totals` event after any job changed.
 */
import type { QueueTotals } from '../../shared/job-models.ts'
import type { Logger } from '../engine-types.ts'
import { messageOf } from './queue-context.ts'
import type { QueueEvent } from './types.ts'

/** Collects and delivers events. */
export interface QueueOutbox {
  emit(event: QueueEvent): void
  /** Marks the totals as changed (a fresh `totals` event follows). */
  totalsChanged(): void
  subscribe(listener: (event: QueueEvent) => void, only?: readonly QueueEvent['type'][]): () => void
  /** True when anyone listens to events of this type (events nobody hears need not be built). */
  listening(type: QueueEvent['type']): boolean
}

/** Creates the outbox; `afterFlush` runs after each delivery (drain checks). */
export function createQueueOutbox(
  log: Logger,
  totals: () => QueueTotals,
  afterFlush: () => void,
): QueueOutbox {
  /** Each listener with the event types it wants (undefined: all). */
  const listeners = new Map<(event: QueueEvent) => void, ReadonlySet<string> | undefined>()
  let events: QueueEvent[] = []
  let scheduled = false
  let totalsDirty = false
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(flush)
  }
  function flush(): void {
    scheduled = false
    const batch = events
    events = []
    if (totalsDirty) {
      totalsDirty = false
      batch.push({ type: 'totals', totals: totals() })
    }
    for (const event of batch) {
      for (const [listener, only] of listeners) {
        if (only !== undefined && !only.has(event.type)) continue
        try {
          listener(event)
        } catch (e) {
          log.error('transfer queue listener failed', { error: messageOf(e) })
        }
      }
    }
    afterFlush()
  }
  return {
    emit(event) {
      events.push(event)
      if (event.type !== 'totals') totalsDirty = true
      schedule()
    },
    totalsChanged() {
      totalsDirty = true
      schedule()
    },
    subscribe(listener, only) {
      listeners.set(listener, only === undefined ? undefined : new Set(only))
      return () => listeners.delete(listener)
    },
    listening(type) {
      for (const only of listeners.values()) if (only === undefined || only.has(type)) return true
      return false
    },
  }
}
