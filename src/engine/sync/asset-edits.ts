/**
 * Renames and moves on disk, carried to the board: a synced file that was renamed gets its asset
 * re-titled (update_asset), one moved to a folder that maps to another board gets its asset moved
 * (move_assets); nothing is uploaded again. Both are assumed routes (playbook/assumed/assets.ts).
 * Edits are written to the state database before they are sent, one per asset (the newest wins),
 * and sent one at a time. Exactly once: every send is preceded by a read of the asset (documented
 * route), and only what the asset still lacks is sent; a lost answer is therefore settled by the
 * next read. When this Playbook lacks a route the edit ends as `unsupported` (the asset keeps its
 * title or board, nothing is lost or duplicated) and the user is told once.
 */
import type { DatabaseSync } from 'node:sqlite'
import type { Logger } from '../engine-types.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import { moveAssets, updateAsset } from '../playbook/assumed/assets.ts'
import { isRouteMissingError, reportRouteMissing } from '../playbook/assumed/route-missing.ts'
import type { RouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import { isAbortError, isPlaybookError } from '../playbook/errors.ts'
import { migrate } from '../store/database.ts'

/** Where an edit stands. */
export type AssetEditState = 'pending' | 'done' | 'gone' | 'unsupported' | 'failed'

/** What an asset should look like after a file was renamed or moved. */
export interface AssetEdit {
  readonly assetToken: string
  readonly pairId: string
  readonly org: string
  readonly relPath: string
  readonly title: string
  /** The description to set, or null to leave it. */
  readonly description: string | null
  /** The board the asset belongs on. */
  readonly board: string
}

/** A stored edit with its progress. */
export interface StoredAssetEdit extends AssetEdit {
  readonly state: AssetEditState
  readonly attempts: number
  readonly reason: string | null
  readonly updatedAt: number
}

/** The edits queue. */
export interface AssetEdits {
  /** Records what an asset should become (replacing an older edit of it) and starts sending. */
  request(edit: AssetEdit): void
  /** The stored edit of an asset, if any. */
  get(assetToken: string): StoredAssetEdit | undefined
  /** Starts sending pending edits (after a restart, too). */
  kick(): void
  /**
   * Resolves when no edit is being sent or waits to be (edits backing off count as waiting),
   * having told what failed.
   */
  settled(): Promise<void>
  /** Sends again after `stop` (and picks up edits left pending by an earlier run). */
  start(): void
  /**
   * Stops sending at once (an edit cut short is read again before anything is resent), having told
   * what failed.
   */
  stop(): Promise<void>
}

/** Words for edits this Playbook cannot do. */
export const editNotices = {
  update:
    'This Playbook cannot rename assets: renamed files keep their earlier title on the board. Nothing is lost.',
  move: 'This Playbook cannot move assets between boards: moved files stay on their earlier board. Nothing is lost.',
} as const

/**
 * What the user reads when renames or moves could not be carried to Playbook: which files, why in
 * plain words (by HTTP status: 0 = no answer; 200 = an answer we could not read), where their
 * assets stand and how to retry (a new rename or move is a new edit). Refused (403 and other
 * 4xx): the assets keep their earlier title and board. Unconfirmed (no answer, busy, unreadable
 * after several tries): they may. The server's own words go to the log. One notice per batch of
 * failures with the same reason, naming the first files, so moving a folder is one message.
 */
export function editFailedNotice(relPaths: readonly string[], status: number): string {
  const shown = 3
  const files =
    relPaths.length <= shown
      ? relPaths.join(', ')
      : `${relPaths.slice(0, shown).join(', ')} and ${relPaths.length - shown} more`
  const one = relPaths.length === 1
  const assets = one ? 'Its asset' : 'Their assets'
  const unsure = status === 0 || status === 200 || status === 429 || status >= 500
  const why =
    status === 403
      ? "your account isn't allowed to change these assets"
      : unsure
        ? 'Playbook did not confirm the change after several tries'
        : 'Playbook refused the change'
  const where = unsure
    ? `${assets} may still have the earlier title and board.`
    : `${assets} keep${one ? 's' : ''} the earlier title and board.`
  return `Could not rename or move ${files} on Playbook: ${why}. ${where} Rename or move ${one ? 'the file' : 'them'} once more to retry.`
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sync_asset_edits (
     asset_token TEXT PRIMARY KEY,
     pair_id TEXT NOT NULL,
     org TEXT NOT NULL,
     rel_path TEXT NOT NULL,
     title TEXT NOT NULL,
     description TEXT,
     board TEXT NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     reason TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX sync_asset_edits_state ON sync_asset_edits (state)`,
]

interface Raw {
  asset_token: string
  pair_id: string
  org: string
  rel_path: string
  title: string
  description: string | null
  board: string
  state: AssetEditState
  attempts: number
  reason: string | null
  updated_at: number
}

const toEdit = (raw: Raw): StoredAssetEdit => ({
  assetToken: raw.asset_token,
  pairId: raw.pair_id,
  org: raw.org,
  relPath: raw.rel_path,
  title: raw.title,
  description: raw.description,
  board: raw.board,
  state: raw.state,
  attempts: raw.attempts,
  reason: raw.reason,
  updatedAt: raw.updated_at,
})

/** Transient failures before an edit fails (the file stays synced; the log says why). */
const MAX_ATTEMPTS = 8

/**
 * Failures are told this long after the last run of edits ends (or at once when the edits settle
 * or stop): the renames of one folder move arrive a few at a time, in several runs, and are one
 * message.
 */
const TELL_AFTER_MS = 1_000

/** Creates the edits queue on the shared state database. */
export function createAssetEdits(deps: {
  readonly db: DatabaseSync
  readonly client: PlaybookClient
  readonly log: Logger
  readonly now: () => number
  /** The engine's memory of assumed routes this Playbook lacks, and whom to tell. */
  readonly routes: RouteMissingMemory
  /** Told after runs of edits end, once per reason, with the words for the user (`editFailedNotice`). */
  readonly onFailed?: (message: string) => void
}): AssetEdits {
  const { db, client, log, now, routes } = deps
  migrate(db, 'sync_edits_schema', MIGRATIONS)
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO sync_asset_edits (asset_token, pair_id, org, rel_path, title, description,
       board, state, attempts, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?)`,
  )
  const select = db.prepare('SELECT * FROM sync_asset_edits WHERE asset_token = ?')
  const pending = db.prepare(
    "SELECT * FROM sync_asset_edits WHERE state = 'pending' ORDER BY updated_at LIMIT 1",
  )
  const finish = db.prepare(
    'UPDATE sync_asset_edits SET state = ?, reason = ?, attempts = ?, updated_at = ? WHERE asset_token = ? AND updated_at = ?',
  )

  let running: Promise<void> | undefined
  let stopped = false
  let again = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let abort = new AbortController()

  const get = (token: string): StoredAssetEdit | undefined => {
    const raw = select.get(token) as unknown as Raw | undefined
    return raw === undefined ? undefined : toEdit(raw)
  }

  /** Ends an edit, unless a newer request replaced it meanwhile. */
  /** Records how an edit ended; false when a newer request for the asset replaced it meanwhile. */
  const settle = (edit: StoredAssetEdit, state: AssetEditState, reason: string | null): boolean =>
    finish.run(state, reason, edit.attempts, now(), edit.assetToken, edit.updatedAt).changes === 1
  // Edits that failed and are not told yet, by HTTP status.
  const failedPaths = new Map<number, string[]>()
  let tellTimer: ReturnType<typeof setTimeout> | undefined
  /** Nothing silent: what failed is said, once per reason. */
  const tell = (): void => {
    if (tellTimer !== undefined) clearTimeout(tellTimer)
    tellTimer = undefined
    for (const [status, paths] of failedPaths) deps.onFailed?.(editFailedNotice(paths, status))
    failedPaths.clear()
  }

  /** Reads the asset, then sends only what it still lacks. */
  const apply = async (edit: StoredAssetEdit): Promise<void> => {
    const asset = await client.asset(edit.org, edit.assetToken, abort.signal)
    const title = asset.title ?? ''
    const description = (asset as { description?: unknown }).description
    const retitle =
      title.normalize('NFC') !== edit.title.normalize('NFC') ||
      (edit.description !== null && description !== edit.description)
    const move = (asset.collection_token ?? edit.board) !== edit.board
    if (retitle) {
      await updateAsset(
        client,
        edit.org,
        edit.assetToken,
        {
          title: edit.title,
          ...(edit.description === null ? {} : { description: edit.description }),
        },
        abort.signal,
      )
    }
    if (move) await moveAssets(client, edit.org, [edit.assetToken], edit.board, abort.signal)
  }

  const runOne = async (edit: StoredAssetEdit): Promise<'next' | 'wait'> => {
    try {
      await apply(edit)
      settle(edit, 'done', null)
      log.info('asset edited', { assetToken: edit.assetToken, relPath: edit.relPath })
      return 'next'
    } catch (e) {
      if (isAbortError(e)) return 'wait'
      if (isRouteMissingError(e)) {
        const route = e.route === 'move' ? 'move' : 'update'
        settle(edit, 'unsupported', editNotices[route])
        log.warn('asset edit not possible on this Playbook', { route })
        reportRouteMissing(routes, client.baseUrl, route, editNotices[route])
        return 'next'
      }
      const status = isPlaybookError(e) ? e.status : 0
      const message = e instanceof Error ? e.message : String(e)
      if (status === 404) {
        settle(edit, 'gone', `The asset is no longer on Playbook: ${message}`)
        return 'next'
      }
      const transient = !isPlaybookError(e) || status === 0 || status === 429 || status >= 500
      const attempts = edit.attempts + 1
      if (!transient || status === 401 || attempts >= MAX_ATTEMPTS) {
        const settled = settle(edit, status === 401 ? 'pending' : 'failed', message)
        log.warn('asset edit failed', { assetToken: edit.assetToken, error: message })
        if (settled && status !== 401) {
          const paths = failedPaths.get(status) ?? []
          paths.push(edit.relPath)
          failedPaths.set(status, paths)
        }
        return status === 401 ? 'wait' : 'next'
      }
      // Unsure whether it landed: the next try reads the asset first, so it never doubles up.
      db.prepare(
        'UPDATE sync_asset_edits SET attempts = ?, reason = ? WHERE asset_token = ? AND updated_at = ?',
      ).run(attempts, message, edit.assetToken, edit.updatedAt)
      timer = setTimeout(() => self.kick(), Math.min(60_000, 500 * 2 ** attempts))
      timer.unref?.()
      return 'wait'
    }
  }

  const drain = async (): Promise<void> => {
    try {
      do {
        again = false
        while (!stopped) {
          const raw = pending.get() as unknown as Raw | undefined
          if (raw === undefined) break
          if ((await runOne(toEdit(raw))) === 'wait') return
        }
      } while (again && !stopped)
    } finally {
      if (failedPaths.size > 0) {
        if (tellTimer !== undefined) clearTimeout(tellTimer)
        tellTimer = setTimeout(tell, TELL_AFTER_MS)
        tellTimer.unref?.()
      }
    }
  }

  const self: AssetEdits = {
    request(edit) {
      upsert.run(
        edit.assetToken,
        edit.pairId,
        edit.org,
        edit.relPath,
        edit.title,
        edit.description,
        edit.board,
        now(),
      )
      self.kick()
    },
    get,
    kick() {
      if (stopped) return
      if (running !== undefined) {
        again = true
        return
      }
      running = drain()
        .catch((e: unknown) => log.error('asset edits stopped', { error: String(e) }))
        .finally(() => {
          running = undefined
        })
    },
    async settled() {
      while (running !== undefined) await running
      tell()
    },
    start() {
      stopped = false
      abort = new AbortController()
      self.kick()
    },
    async stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      abort.abort()
      await running
      tell()
    },
  }
  return self
}
