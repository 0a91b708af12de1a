/**
 * The sync engine: pairs local folders with boards and keeps them in sync through the transfer
 * queue. Catch-up scans (on start and on demand) and live watching feed the same per-pair work
 * chain; files wait until they settle; results come back from the queue's job events. This file
 * wires the parts (status, intake, watching, scans, lifecycle, queue events) and holds the commands.
 */
import { cannotUploadNotice } from '../../shared/plain-words.ts'
import { createHash } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { treeMapping } from '../../shared/pair-models.ts'
import { createBoardMap } from './board-map.ts'
import { createBoardMapStore } from './board-map-store.ts'
import { addOrMapBranch, applyMapping } from './board-map-pairs.ts'
import type { EngineCore } from './engine-core.ts'
import { retryIssues } from './issue-retry.ts'
import { createIgnoreRules } from './ignore-rules.ts'
import { createPairIntake } from './pair-intake.ts'
import { createPairLifecycle } from './pair-lifecycle.ts'
import { createRuntime, rulesFor } from './pair-runtime.ts'
import type { Runtime } from './pair-runtime.ts'
import { createPairScans } from './pair-scan.ts'
import type { PairScans } from './pair-scan.ts'
import { checkedPatterns, resolvePairSettings } from './pair-settings.ts'
import { ignorePatternProblem } from '../../shared/ignore-patterns.ts'
import { createPairWatching } from './pair-watching.ts'
import { createStatusBoard } from './pair-status.ts'
import { createQueueEventHandler, queueEventTypes } from './queue-events.ts'
import { assertFolder, walkFolder } from './scanner.ts'
import { createSyncStore } from './sync-store.ts'
import { createIgnoredStore } from './ignored-store.ts'
import { fileStatesOfPair, issuesOf, skippedFilesOf } from './sync-reports.ts'
import { createAssetEdits } from './asset-edits.ts'
import { createRouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import { uploadAnyway } from './upload-anyway.ts'
import type { PairRow, SyncStore } from './sync-store.ts'
import { chokidarWatcher } from './watcher.ts'

import type { SyncEngine, SyncEngineOptions } from './sync-engine-types.ts'
export type { AddPairInput, SyncEngine, SyncEngineOptions, SyncEvent } from './sync-engine-types.ts'

/** True when `child` is strictly inside `parent` (both canonical absolute paths). */
function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** A stable id for a folder ↔ board pair, so re-adding a pair reuses its index and dedupe keys. */
export function pairIdFor(folder: string, org: string, board: string): string {
  return (
    'pair_' + createHash('sha256').update(`${folder}\0${org}\0${board}`).digest('hex').slice(0, 16)
  )
}

/** Builds the sync engine. Nothing runs until `start`, `scan` or `addPair` (after start). */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { queue, log } = options
  const store: SyncStore = createSyncStore(options.db)
  const ignored = createIgnoredStore(options.db)
  const now = (): number => options.clock?.now() ?? Date.now()
  const runtimes = new Map<string, Runtime>()
  const edits =
    options.client === undefined
      ? undefined
      : createAssetEdits({
          db: options.db,
          client: options.client,
          log,
          now,
          routes: options.routes ?? createRouteMissingMemory(),
          // Nothing silent: a rename or move Playbook would not take is said, with the file.
          onFailed: (message) => emit({ type: 'notice', level: 'warning', message }),
        })
  const boardMap = createBoardMap({
    store: createBoardMapStore(options.db),
    ...(options.boardDirectory ? { directory: options.boardDirectory } : {}),
    log,
    now,
  })
  const status = createStatusBoard({
    store,
    queue,
    log,
    runtimes,
    extra: (rt) => ({
      boardMap: boardMap.mapping(rt.row.id),
      folderBoards: boardMap.folderBoards(rt.row.id),
    }),
  })
  const { snapshotOf, changed, emit } = status
  let started = false
  let unsubscribeQueue: (() => void) | undefined
  // Patterns stored by an older version may no longer pass the check: they are left out with a
  // warning naming them (a start never fails on a setting; saving them again is refused).
  let shared: readonly string[] = (options.sharedIgnorePatterns ?? []).filter((pattern) => {
    const problem = ignorePatternProblem(pattern)
    if (problem !== undefined) log.warn('ignore pattern not used', { pattern, problem })
    return problem === undefined
  })

  const core: EngineCore = {
    store,
    ignored,
    queue,
    log,
    now,
    worker: {
      store,
      queue,
      log,
      now,
      batchSize: Math.max(1, options.batchSize ?? 200),
      hashConcurrency: Math.max(1, options.hashConcurrency ?? 2),
      ...(edits === undefined ? {} : { edits }),
      boardMap,
      report: (path, reason) =>
        emit({
          type: 'notice',
          level: 'error',
          message: cannotUploadNotice(path, reason),
          file: { path, reason },
        }),
    },
    runtimes,
    watchEnabled: options.watch ?? true,
    isStarted: () => started,
    onTrouble:
      options.onTrouble ??
      ((error) => log.error('state database failed', { error: String(error) })),
    emit,
    changed,
  }
  const intake = createPairIntake(core)
  const { touch } = intake
  // Watching asks for scans and scans reopen watchers: `scans` is bound once both exist.
  const watching = createPairWatching(core, {
    watcherPort: options.watcher ?? chokidarWatcher,
    rescanIntervalMs: options.rescanIntervalMs ?? 60_000,
    touch,
    requestScan: (rt) => scans.requestScan(rt),
  })
  const scans: PairScans = createPairScans(core, intake, watching)
  const { requestScan } = scans
  const { activate, quiesce } = createPairLifecycle(core, watching, scans)
  const onQueueEvent = createQueueEventHandler(core, { touch, setOnline: status.setOnline })

  const subscribeQueue = (): void => {
    unsubscribeQueue ??= queue.subscribe(onQueueEvent, queueEventTypes)
  }
  subscribeQueue()

  for (const row of store.pairs()) runtimes.set(row.id, createRuntime(row, log, shared))

  const runtime = (pairId: string): Runtime => {
    const rt = runtimes.get(pairId)
    if (!rt) throw new Error(`Unknown pair: ${pairId}`)
    return rt
  }

  const targets = (pairId?: string): Runtime[] =>
    pairId === undefined ? [...runtimes.values()] : [runtime(pairId)]

  const canonicalFolder = async (folder: string): Promise<string> => {
    const absolute = resolve(folder)
    await assertFolder(absolute)
    return realpath(absolute)
  }

  // ---- commands -----------------------------------------------------------------------------

  return {
    async addPair(input) {
      if (!input.org) throw new Error('addPair: org is required')
      if (!input.board) throw new Error('addPair: board is required')
      const folder = await canonicalFolder(input.folder)
      const id = pairIdFor(folder, input.org, input.board)
      const existing = runtimes.get(id)
      if (existing) {
        if (input.settings || input.boardTitle !== undefined || input.mapping) {
          return this.updatePair(id, {
            ...(input.settings ? { settings: input.settings } : {}),
            ...(input.boardTitle === undefined ? {} : { boardTitle: input.boardTitle }),
            ...(input.mapping ? { mapping: input.mapping } : {}),
          })
        }
        return snapshotOf(existing)
      }
      // A folder inside a synced folder becomes a branch of that pair (board-map-pairs.ts).
      const outer = addOrMapBranch(
        [...runtimes.values()].map((rt) => rt.row),
        folder,
        input,
      )
      if (outer !== undefined) {
        const rt = runtime(outer.pairId)
        const mapping = { ...boardMap.mapping(outer.pairId) }
        const updated = await this.updatePair(outer.pairId, {
          mapping: {
            ...mapping,
            branches: { ...mapping.branches, [outer.branch]: outer.target },
          },
        })
        emit({ type: 'notice', level: 'info', message: outer.message })
        log.info('nested folder mapped as a branch', { pairId: rt.row.id, branch: outer.branch })
        return updated
      }
      // A folder inside another pair's folder (or around it) would upload the same files twice.
      for (const other of runtimes.values()) {
        const nested = isInside(folder, other.row.folder) || isInside(other.row.folder, folder)
        if (nested) {
          throw new Error(
            `${folder} overlaps the folder already paired with "${other.row.boardTitle ?? other.row.board}" (${other.row.folder}); pair folders that do not contain each other`,
          )
        }
      }
      const row: PairRow = {
        id,
        folder,
        org: input.org,
        board: input.board,
        boardTitle: input.boardTitle ?? null,
        settings: resolvePairSettings(options.defaults, input.settings),
        paused: false,
        lastSyncAt: null,
        ignoredCount: 0,
        createdAt: now(),
      }
      store.insertPair(row)
      boardMap.setMapping(id, input.mapping ?? treeMapping)
      const rt = createRuntime(row, log, shared)
      runtimes.set(id, rt)
      log.info('pair added', { pairId: id, folder, board: input.board })
      if (started) void activate(rt)
      changed(rt)
      return snapshotOf(rt)
    },

    async removePair(pairId) {
      const rt = runtime(pairId)
      rt.removed = true
      await quiesce(rt)
      store.deletePair(pairId)
      ignored.forget(pairId)
      boardMap.forgetPair(pairId)
      runtimes.delete(pairId)
      log.info('pair removed', { pairId })
      emit({ type: 'pair-removed', pairId })
      changed()
    },

    async updatePair(pairId, patch) {
      const rt = runtime(pairId)
      const settings = patch.settings
        ? resolvePairSettings(rt.row.settings, patch.settings)
        : rt.row.settings
      const live = started && !rt.row.paused
      if (live) await quiesce(rt)
      store.updatePair(pairId, {
        settings,
        ...(patch.boardTitle === undefined ? {} : { boardTitle: patch.boardTitle }),
      })
      if (patch.mapping) applyMapping(store, boardMap, pairId, patch.mapping, now())
      const row = store.pair(pairId)
      if (!row) throw new Error(`Unknown pair: ${pairId}`)
      Object.assign(rt, { row, rules: rulesFor(row, log, shared) })
      if (live) void activate(rt)
      changed(rt)
      return snapshotOf(rt)
    },

    async setSharedIgnore(patterns) {
      const next = checkedPatterns(patterns)
      if (next.join('\n') === shared.join('\n')) return
      shared = next
      log.info('shared ignore patterns changed', { count: next.length })
      // The rules change now; the scans run on each pair's work chain (not awaited: a large
      // folder's scan must not hold the settings answer).
      for (const rt of runtimes.values()) {
        rt.sharedIgnore = shared
        rt.rules = rulesFor(rt.row, log, shared)
        if (started && !rt.row.paused && !rt.removed) void requestScan(rt)
      }
    },

    pairs: () => [...runtimes.values()].map(snapshotOf),

    pair(pairId) {
      const rt = runtimes.get(pairId)
      return rt && snapshotOf(rt)
    },

    async preview(folder, settings, countOnBoard, tree) {
      const absolute = await canonicalFolder(folder)
      const resolved = resolvePairSettings(options.defaults, settings)
      const rules = createIgnoreRules(absolute, {
        includeHidden: resolved.includeHidden,
        patterns: [...shared, ...resolved.ignorePatterns],
        log,
      })
      const walk = await walkFolder(absolute, rules)
      const bytes = walk.files.reduce((sum, file) => sum + file.size, 0)
      const counted = { folder: absolute, files: walk.files.length, bytes, ignored: walk.ignored }
      const preview = tree === undefined ? counted : { ...counted, tree: await tree(walk.files) }
      if (countOnBoard === undefined || resolved.uploadExisting) return preview
      return { ...preview, alreadyOnBoard: await countOnBoard(walk.files) }
    },

    async scan(pairId) {
      await Promise.all(
        targets(pairId)
          .filter((rt) => !rt.row.paused)
          .map((rt) => requestScan(rt)),
      )
    },

    async start() {
      if (started) return
      started = true
      subscribeQueue()
      edits?.start()
      for (const rt of runtimes.values()) if (!rt.row.paused) void activate(rt)
    },

    async stop() {
      started = false
      await Promise.all([...runtimes.values()].map((rt) => quiesce(rt)))
      await edits?.stop()
      unsubscribeQueue?.()
      unsubscribeQueue = undefined
      status.stop()
    },

    pause(pairId) {
      for (const rt of targets(pairId)) {
        if (rt.row.paused) continue
        rt.row = { ...rt.row, paused: true }
        store.updatePair(rt.row.id, { paused: true })
        void quiesce(rt)
        for (const row of store.pendingFiles(rt.row.id)) if (row.jobId) queue.pause(row.jobId)
        changed(rt)
      }
    },

    resume(pairId) {
      for (const rt of targets(pairId)) {
        if (!rt.row.paused) continue
        rt.row = { ...rt.row, paused: false }
        store.updatePair(rt.row.id, { paused: false })
        for (const row of store.pendingFiles(rt.row.id)) if (row.jobId) queue.resume(row.jobId)
        if (started) void activate(rt)
        changed(rt)
      }
    },

    subscribe: (listener) => status.subscribe(listener),

    issues: (pairId) => issuesOf(store, targets(pairId)),

    async retryIssues(pairId, relPaths) {
      const counts = await Promise.all(
        targets(pairId)
          .filter((rt) => !rt.row.paused)
          .map((rt) => retryIssues(core, intake, rt, relPaths)),
      )
      return counts.reduce((sum, n) => sum + n, 0)
    },

    skipped: (pairId) => skippedFilesOf(core, targets(pairId)),

    uploadAnyway: (pairId, relPath) => uploadAnyway(core, intake, runtime(pairId), relPath),

    fileStates: (pairId) => fileStatesOfPair(core, boardMap, runtime(pairId), now()),

    idle(pairId) {
      if (pairId !== undefined) runtime(pairId)
      return status.whenIdle(pairId).then(() => edits?.settled())
    },
  }
}
