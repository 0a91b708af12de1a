/**
 * Turns file-watcher failures into something a user can act on: which system limit was hit and
 * how to raise it. EMFILE and ENOSPC (inotify) mean the pair must fall back to periodic rescans.
 */

/** A watcher failure, explained. */
export interface WatchProblem {
  readonly code: string
  /** True when watching cannot go on and the pair must fall back to periodic rescans. */
  readonly fatal: boolean
  readonly reason: string
  readonly hint?: string
}

/** Explains a watcher error; `folder` is named in the message. */
export function describeWatchError(error: unknown, folder: string): WatchProblem {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN'
  const detail = error instanceof Error ? error.message : String(error)
  switch (code) {
    case 'ENOSPC':
      return {
        code,
        fatal: true,
        reason: `Too many folders to watch in ${folder}: the system's file-watch limit was reached`,
        hint:
          'Raise the limit (Linux: echo fs.inotify.max_user_watches=524288 | sudo tee -a /etc/sysctl.conf && sudo sysctl -p) ' +
          'or ignore large sub-folders in .playbookignore. Until then the folder is rescanned periodically.',
      }
    case 'EMFILE':
    case 'ENFILE':
      return {
        code,
        fatal: true,
        reason: `Too many open files while watching ${folder}`,
        hint:
          'Raise the open-file limit (ulimit -n 65536, or LimitNOFILE in a systemd unit), turn on polling for this ' +
          'pair, or ignore large sub-folders. Until then the folder is rescanned periodically.',
      }
    case 'EACCES':
    case 'EPERM':
      return {
        code,
        fatal: false,
        reason: `Permission denied while watching part of ${folder}: ${detail}`,
        hint: 'Give this app read access to the folder (macOS: System Settings → Privacy & Security → Files and Folders).',
      }
    default:
      return { code, fatal: false, reason: `Watching ${folder} failed: ${detail}` }
  }
}
