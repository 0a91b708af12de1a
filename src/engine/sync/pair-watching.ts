/**
 * Live watching of each pair's folder and the watcher's lifecycle: opens and closes watchers,
 * turns watch events into settling paths (or a rescan), and when the system's watch limits are hit
 * or the folder goes missing, falls back to periodic rescans instead of going silent.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path'
import type { Stats } from 'node:fs'
import type { EngineCore } from './engine-core.ts'
import { kindOf } from './file-facts.ts'
import { IGNORE_FILE } from './ignore-rules.ts'
import type { Runtime } from './pair-runtime.ts'
import { walkFolder } from './scanner.ts'
import { describeWatchError } from './watch-errors.ts'
import type { FolderWatcher, WatchEvent, WatcherPort } from './watcher.ts'

/** What watching needs besides the core. */
export interface PairWatchingDeps {
  readonly watcherPort: WatcherPort
  /** How often a pair that cannot be watched is rescanned. */
  readonly rescanIntervalMs: number
  readonly touch: (rt: Runtime, relPath: string) => void
  readonly requestScan: (rt: Runtime) => Promise<void>
}

/** Watcher and rescan-timer lifecycle of every pair. */
export interface PairWatching {
  /** Starts watching the pair (when watching is on and it is not on periodic rescans). */
  openWatcher(rt: Runtime): void
  closeWatcher(rt: Runtime): Promise<void>
  /** Rescans the pair every interval, remembering why. */
  startRescans(rt: Runtime, cause: 'limit' | 'missing'): void
  stopRescans(rt: Runtime): void
}

/** Builds the watching part over the engine's core. */
export function createPairWatching(core: EngineCore, deps: PairWatchingDeps): PairWatching {
  const { store, log, changed, emit } = core
  const { touch, requestScan } = deps

  const relOf = (rt: Runtime, absPath: string): string | undefined => {
    const rel = relative(rt.row.folder, absPath)
    if (rel.startsWith('..') || resolve(rt.row.folder, rel) !== resolve(absPath)) return undefined
    return sep === '/' ? rel : rel.split(sep).join('/')
  }

  const isWatchIgnored = (rt: Runtime, absPath: string, stats?: Stats): boolean => {
    const rel = relOf(rt, absPath)
    if (rel === undefined) return true
    if (rel === '') return false
    if (basename(rel) === IGNORE_FILE) return false
    return rt.rules.test(rel, stats ? kindOf(stats) : 'file') !== undefined
  }

  const onWatchEvent = (rt: Runtime, event: WatchEvent): void => {
    const rel = relOf(rt, event.path)
    if (rel === undefined || rt.removed || rt.row.paused) return
    if (rel === '') {
      if (event.kind === 'unlinkDir') void requestScan(rt)
      return
    }
    if (basename(rel) === IGNORE_FILE) {
      const dir = dirname(rel) === '.' ? '' : dirname(rel)
      void rt.rules.loadDir(dir).then(() => requestScan(rt))
      return
    }
    switch (event.kind) {
      case 'add':
      case 'change':
        if (rt.rules.test(rel, 'file') === undefined) touch(rt, rel)
        return
      case 'unlink':
        touch(rt, rel)
        return
      case 'addDir':
        if (rt.rules.test(rel, 'dir') !== undefined) return
        void walkFolder(rt.row.folder, rt.rules, { startDir: rel }).then(
          (walk) => walk.files.forEach((file) => touch(rt, file.relPath)),
          (error: unknown) =>
            log.warn('cannot list new folder', {
              pairId: rt.row.id,
              relPath: rel,
              error: String(error),
            }),
        )
        return
      case 'unlinkDir':
        for (const row of store.liveFiles(rt.row.id)) {
          if (row.relPath.startsWith(rel + '/')) touch(rt, row.relPath)
        }
        return
    }
  }

  const onWatchError = (rt: Runtime, error: unknown): void => {
    const problem = describeWatchError(error, rt.row.folder)
    log.warn(problem.reason, { pairId: rt.row.id, code: problem.code, hint: problem.hint })
    if (!problem.fatal) return
    void closeWatcher(rt)
    rt.watch = {
      mode: 'rescan',
      reason: problem.reason,
      ...(problem.hint ? { hint: problem.hint } : {}),
    }
    stopRescans(rt)
    startRescans(rt, 'limit')
    emit({
      type: 'notice',
      level: 'warning',
      message: `${problem.reason}. ${problem.hint ?? ''}`.trim(),
    })
    changed(rt)
  }

  const startRescans = (rt: Runtime, cause: 'limit' | 'missing'): void => {
    if (rt.rescanTimer) return
    rt.rescanCause = cause
    rt.rescanTimer = setInterval(() => void requestScan(rt), deps.rescanIntervalMs)
  }

  const stopRescans = (rt: Runtime): void => {
    if (rt.rescanTimer) clearInterval(rt.rescanTimer)
    rt.rescanTimer = undefined
    rt.rescanCause = undefined
  }

  const openWatcher = (rt: Runtime): void => {
    if (!core.watchEnabled || rt.watcher || rt.rescanTimer) return
    const settings = rt.row.settings
    rt.watcherReady = false
    try {
      const watcher: FolderWatcher = deps.watcherPort(
        rt.row.folder,
        {
          usePolling: settings.usePolling,
          ignored: (absPath, stats) => isWatchIgnored(rt, absPath, stats),
        },
        {
          onEvent: (event) => onWatchEvent(rt, event),
          onError: (error) => onWatchError(rt, error),
          onReady: () => {
            if (rt.watcher !== watcher) return
            rt.watcherReady = true
            changed(rt)
          },
        },
      )
      rt.watcher = watcher
      rt.watch = { mode: settings.usePolling ? 'polling' : 'native' }
    } catch (error) {
      onWatchError(rt, error)
    }
    changed(rt)
  }

  const closeWatcher = async (rt: Runtime): Promise<void> => {
    const watcher = rt.watcher
    rt.watcher = undefined
    rt.watcherReady = false
    if (watcher) {
      try {
        await watcher.close()
      } catch (error) {
        log.warn('closing watcher failed', { pairId: rt.row.id, error: String(error) })
      }
    }
  }

  return { openWatcher, closeWatcher, startRescans, stopRescans }
}
