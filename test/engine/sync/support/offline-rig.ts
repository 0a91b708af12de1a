/**
 * Shared setup for scan tests that need no server: a real sync engine and a real transfer queue on
 * a real state database in `root`, the queue never started (its HTTP client is never called), so
 * the index and the queued jobs show exactly what the scans decided. Each `open` is a fresh
 * process's view of the same database, as after a restart.
 */
import { join } from 'node:path'
import { createPlaybookClient } from '../../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../../src/engine/store/database.ts'
import { createSyncEngine } from '../../../../src/engine/sync/sync-engine.ts'
import type { SyncEngine } from '../../../../src/engine/sync/sync-engine.ts'
import { createSyncStore } from '../../../../src/engine/sync/sync-store.ts'
import type { SyncStore } from '../../../../src/engine/sync/sync-store.ts'
import { createTransferQueue } from '../../../../src/engine/transfer/queue.ts'
import type { TransferQueueHandle } from '../../../../src/engine/transfer/queue.ts'
import type { UploadRequest } from '../../../../src/engine/transfer/types.ts'

/** One engine over the shared database, with what it asked the queue to enqueue. */
export interface OfflineRig {
  readonly engine: SyncEngine
  /** The real queue (the engine's is a wrapper that records `enqueue` calls). */
  readonly queue: TransferQueueHandle
  /** The index, read directly. */
  readonly store: SyncStore
  /** The pair-relative path of every request, in order. */
  readonly enqueued: string[]
  /** The size of every `enqueue` call, in order. */
  readonly calls: number[]
  /** Stops the engine and the queue and closes the database (also done by `closeAll`). */
  close(): Promise<void>
}

/** Opens rigs on `root/state/state.db`; `closeAll` closes every one still open, newest first. */
export function offlineRigs(root: () => string): {
  open(options?: { readonly batchSize?: number }): OfflineRig
  closeAll(): Promise<void>
} {
  const open: (() => Promise<void>)[] = []
  return {
    open(options = {}) {
      const db = openDatabase(join(root(), 'state', 'state.db'))
      const client = createPlaybookClient({
        baseUrl: 'http://127.0.0.1:9',
        getToken: () => 'unused',
      })
      const queue = createTransferQueue({ db, client })
      const enqueued: string[] = []
      const calls: number[] = []
      const counted: TransferQueueHandle = Object.assign(
        Object.create(queue) as TransferQueueHandle,
        {
          enqueue(requests: readonly UploadRequest[]) {
            calls.push(requests.length)
            for (const request of requests) enqueued.push(request.origin?.relPath ?? '?')
            return queue.enqueue(requests)
          },
        },
      )
      const quiet = { info: () => {}, warn: () => {}, error: () => {} }
      const engine = createSyncEngine({
        db,
        queue: counted,
        log: quiet,
        watch: false,
        defaults: { settleMs: 0 },
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      })
      let closed = false
      const close = async (): Promise<void> => {
        if (closed) return
        closed = true
        await engine.stop()
        await queue.stop()
        await client.close()
        db.close()
      }
      open.push(close)
      return { engine, queue, store: createSyncStore(db), enqueued, calls, close }
    },
    async closeAll() {
      for (const close of open.splice(0).reverse()) await close()
    },
  }
}
