/**
 * The file-system watcher port and its chokidar adapter. The engine is given a `WatcherPort`, so
 * hosts choose native events or polling and tests can inject failures; events carry absolute paths.
 */
import { watch } from 'chokidar'
import type { Stats } from 'node:fs'

/** One change the watcher saw. */
export interface WatchEvent {
  readonly kind: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir'
  readonly path: string
}

/** How to watch one folder. */
export interface WatchOptions {
  readonly usePolling: boolean
  /** Polling period (polling only); default 1000 ms. */
  readonly pollingIntervalMs?: number
  /** Paths (absolute) never to watch or report; `stats` is present when known. */
  readonly ignored: (absPath: string, stats?: Stats) => boolean
}

/** Callbacks for one watched folder. */
export interface WatchHandlers {
  readonly onEvent: (event: WatchEvent) => void
  readonly onError: (error: unknown) => void
  readonly onReady?: () => void
}

/** A running watch; `close` is final. */
export interface FolderWatcher {
  close(): Promise<void>
}

/** Starts watching `folder` (absolute) recursively. */
export type WatcherPort = (
  folder: string,
  options: WatchOptions,
  handlers: WatchHandlers,
) => FolderWatcher

/** The real watcher: chokidar, native events or polling, symlinks not followed, no initial events. */
export const chokidarWatcher: WatcherPort = (folder, options, handlers) => {
  const watcher = watch(folder, {
    ignoreInitial: true,
    followSymlinks: false,
    persistent: true,
    alwaysStat: false,
    ignored: (path: string, stats?: Stats) => path !== folder && options.ignored(path, stats),
    ...(options.usePolling
      ? {
          backend: 'polling' as const,
          pollingInterval: options.pollingIntervalMs ?? 1000,
          pollingBinaryInterval: options.pollingIntervalMs ?? 1000,
        }
      : { atomic: 100 }),
  })
  watcher.on('all', (kind, path) => {
    if (
      kind === 'add' ||
      kind === 'change' ||
      kind === 'unlink' ||
      kind === 'addDir' ||
      kind === 'unlinkDir'
    ) {
      handlers.onEvent({ kind, path })
    }
  })
  watcher.on('error', (error) => handlers.onError(error))
  watcher.on('ready', () => handlers.onReady?.())
  return { close: () => watcher.close() }
}
