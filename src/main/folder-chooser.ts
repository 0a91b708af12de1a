/**
 * The app's side of path intent: a folder comes only from the native dialog the user answers (the
 * renderer then gets an opaque handle for it, never a path it named), and hidden files only after
 * a second native question that names the folder.
 */
import type { BrowserWindow } from 'electron'
import { dialog } from './electron-api.ts'
import type { FolderRequest } from '../engine/contract-handlers.ts'

/** Makes `chooseFolder` for the handler platform; `window` is the app window, when there is one. */
export function electronFolderChooser(
  window: () => BrowserWindow | null,
): (request: FolderRequest) => Promise<string | null> {
  return async (request) => {
    const win = window()
    const options = {
      title: request.purpose === 'pair' ? 'Folder to sync' : 'Where plugins save files',
      properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
      ...(request.typed ? { defaultPath: request.typed } : {}),
    }
    const result = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options)
    const path = result.canceled ? null : (result.filePaths[0] ?? null)
    if (path === null || request.includeHidden !== true) return path
    const question = {
      type: 'warning' as const,
      message: `Also upload hidden files from ${path}?`,
      detail:
        'Hidden files and folders (names starting with a dot) often hold settings, keys and ' +
        'passwords. They would be uploaded to Playbook with everything else.',
      buttons: ['Upload hidden files too', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    }
    const answer = win
      ? await dialog.showMessageBox(win, question)
      : await dialog.showMessageBox(question)
    return answer.response === 0 ? path : null
  }
}
