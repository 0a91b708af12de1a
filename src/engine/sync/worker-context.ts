/**
 * What the sync engine's per-pair work is given: the engine's stores and ports (WorkerContext) and
 * the pair being worked on (PairHandle).
 */
import { join, sep } from 'node:path'
import type { Logger } from '../engine-types.ts'
import type { TransferQueue } from '../transfer/types.ts'
import type { PairTarget } from './change-policy.ts'
import { splitRel } from './ignore-rules.ts'
import type { SyncStore } from './sync-store.ts'
import type { AssetEdits } from './asset-edits.ts'
import type { BoardMap } from './board-map.ts'

/** What the worker is given by the engine. */
export interface WorkerContext {
  readonly store: SyncStore
  readonly queue: TransferQueue
  readonly log: Logger
  readonly now: () => number
  /** Requests per `enqueue` call. */
  readonly batchSize: number
  /** Files hashed at once. */
  readonly hashConcurrency: number
  /** A file that cannot be uploaded, named with the reason (each run's failures list it). */
  readonly report?: (absPath: string, reason: string) => void
  /** Renames and moves carried to the board (absent: only the index follows the file). */
  readonly edits?: AssetEdits
  /** Which board each file goes to (sub-folders as child boards); absent: the pair's board. */
  readonly boardMap?: BoardMap
}

/** The pair being worked on, and a way to hand a file back to the settle tracker. */
export interface PairHandle extends PairTarget {
  readonly folder: string
  /** The file changed while it was being looked at: wait for it to settle again. */
  readonly resettle: (relPath: string) => void
}

/** A relative path with an empty, `.` or `..` segment (or a leading or trailing slash). */
const UNCLEAN = /(?:^|\/)\.{0,2}(?:\/|$)/

/** The last folder asked about, normalized, with a separator at the end. */
let lastFolder: { readonly folder: string; readonly base: string } | undefined

/**
 * Absolute path of a pair-relative path. Asked a few times per file of a scan: a clean relative
 * path (as walks and watchers give) is appended to the folder's normalized form, which is what
 * `join` answers, without splitting and normalizing again each time.
 */
export function absolutePath(folder: string, relPath: string): string {
  if (UNCLEAN.test(relPath)) return join(folder, ...splitRel(relPath))
  if (lastFolder?.folder !== folder) {
    const normalized = join(folder)
    lastFolder = { folder, base: normalized.endsWith(sep) ? normalized : normalized + sep }
  }
  return lastFolder.base + (sep === '/' ? relPath : relPath.replaceAll('/', sep))
}
