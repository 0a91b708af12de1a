/**
 * Builds the real engine pieces (state database, API client, transfer queue, optionally the sync
 * engine) the way the app does, for the benchmark and torture workers.
 */
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import type { Logger } from '../../src/engine/engine-types.ts'
import { createPlaybookClient } from '../../src/engine/playbook/client.ts'
import type { PlaybookClient } from '../../src/engine/playbook/client.ts'
import { openDatabase } from '../../src/engine/store/database.ts'
import { createTransferQueue } from '../../src/engine/transfer/queue.ts'
import type { TransferQueueHandle } from '../../src/engine/transfer/queue.ts'

/** What a worker needs to reach the sandbox and keep its state. */
export interface KitOptions {
  readonly api: string
  readonly token: string
  readonly home: string
  readonly concurrency?: number
  readonly chunkSize?: number
  /** Grace period before an unanswered completion is sent again (default: the queue's). */
  readonly completionGraceMs?: number
  /** Print engine log lines to stderr (default off: the harness keeps stderr for failures). */
  readonly verbose?: boolean
}

/** The pieces, and a way to close them. */
export interface Kit {
  readonly db: DatabaseSync
  readonly client: PlaybookClient
  readonly queue: TransferQueueHandle
  readonly log: Logger
  close(): Promise<void>
}

/** Opens the state database in `home` and builds the client and queue (not started). */
export function openKit(options: KitOptions): Kit {
  const line =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (options.verbose || level === 'error') {
        process.stderr.write(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}\n`)
      }
    }
  const log: Logger = { info: line('info'), warn: line('warn'), error: line('error') }
  const db = openDatabase(join(options.home, 'state.db'))
  const client = createPlaybookClient({ baseUrl: options.api, getToken: () => options.token, log })
  const queue = createTransferQueue({
    db,
    client,
    log,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    ...(options.completionGraceMs === undefined
      ? {}
      : { completionGraceMs: options.completionGraceMs }),
  })
  return {
    db,
    client,
    queue,
    log,
    async close() {
      await queue.stop()
      await client.close()
      db.close()
    },
  }
}
