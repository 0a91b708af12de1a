/**
 * What a transfer queue is built from (createTransferQueue): its database, client and transport,
 * and the settings with their defaults. Apart from queue.ts so that file holds only the wiring.
 */
import type { DatabaseSync } from 'node:sqlite'
import type { Clock, Logger } from '../engine-types.ts'
import type { RouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import type { Http } from '../playbook/http.ts'
import type { Sleep } from '../playbook/retry.ts'

/** What the queue is built from. */
export interface TransferQueueOptions {
  /** The state database (openDatabase); the queue creates its tables on it. */
  readonly db: DatabaseSync
  /** The API client; requests name their org, so one client serves every org. */
  readonly client: PlaybookClient
  /** Transport for storage PUTs (default: the client's). */
  readonly http?: Http
  readonly log?: Logger
  readonly clock?: Clock
  /** Large files uploading at once (default 4); small files run more lanes (upload-lanes.ts). */
  readonly concurrency?: number
  /** Bytes per chunk, rounded down to 256 KiB multiples (default 8 MiB). */
  readonly chunkSize?: number
  /** GCS sending (default: streamed, or chunked when `chunkSize` is given). */
  readonly uploadMode?: 'stream' | 'chunked'
  /** Shared bandwidth cap in bytes per second (default none); `setLimits` changes it live. */
  readonly bwlimit?: number
  readonly sleep?: Sleep
  readonly random?: () => number
  /** Transient failures before a job fails (retryable) (default 8). */
  readonly maxAttempts?: number
  /** Completion waits this long after the last upload of a group finished for more to join (default 1.5 s). */
  readonly completeIdleMs?: number
  /** …but never longer than this (default 30 s). */
  readonly completeMaxWaitMs?: number
  /**
   * After a completion's answer was lost, how long the board is re-listed before still-unmatched
   * jobs are completed again (default 45 s).
   */
  readonly completionGraceMs?: number
  /**
   * The engine's memory of assumed routes this Playbook lacks (route-missing.ts), told when
   * versions fall back to new assets (default: the queue's own).
   */
  readonly routes?: RouteMissingMemory
}
