/**
 * Uploading what the user hands over (dropped, pasted or picked): files go through the transport
 * (paths in Electron, streamed to the headless host), links through URL ingest. They land on the
 * board the user dropped them on, or the last used board; with no board chosen the app asks
 * (the drop waits in the store), never discards. Junk files (.DS_Store, Thumbs.db) are skipped.
 */
import { useMemo } from 'react'
import type { DroppedFile } from '../../../../shared/contract.ts'
import { isJunkFileName } from '../../../../shared/junk-names.ts'
import { useApi } from '../../api-context.tsx'
import { plural } from '../../lib/format.ts'
import { goTo, showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'

/** A board to send to. */
export interface DropBoard {
  readonly token: string
  readonly title: string
}

/** The ways in; `board` overrides the last used board, `'ask'` asks first. */
export interface Upload {
  files(files: readonly DroppedFile[], board?: DropBoard | 'ask'): Promise<void>
  urls(urls: readonly string[], board?: DropBoard | 'ask'): Promise<void>
}

/** Returns upload functions. */
export function useUpload(): Upload {
  const api = useApi()
  return useMemo(() => {
    const target = (
      given: DropBoard | 'ask' | undefined,
      files: readonly DroppedFile[],
      urls: readonly string[],
    ): DropBoard | null => {
      const chosen = given === 'ask' ? null : (given ?? useAppStore.getState().settings?.lastBoard)
      if (!chosen) useAppStore.setState({ pendingDrop: { files, urls } })
      return chosen ?? null
    }
    const remember = async (board: DropBoard): Promise<void> => {
      if (useAppStore.getState().settings?.lastBoard?.token === board.token) return
      const settings = await api.invoke('settings:set', { lastBoard: board })
      useAppStore.setState({ settings })
    }
    // On the activity screen the new rows say it all; elsewhere a toast confirms.
    const confirm = (message: string) => {
      if (useAppStore.getState().screen !== 'activity') showToast({ level: 'info', message })
      goTo('activity')
    }
    return {
      async files(all, given) {
        const files = all.filter((f) => !isJunkFileName(f.name))
        const junk = all.length - files.length
        if (junk > 0)
          showToast({
            level: 'info',
            message: `Skipped ${plural(junk, 'system file')} (like .DS_Store): they are never uploaded.`,
          })
        if (files.length === 0) return
        const board = target(given, files, [])
        if (!board) return
        try {
          const ids = await api.sendFiles(files, board.token)
          await remember(board)
          confirm(`${plural(ids.length, 'file')} added to ${board.title}`)
        } catch (error) {
          showToast({ level: 'error', message: `Could not add the files: ${errorMessage(error)}` })
        }
      },
      async urls(urls, given) {
        if (urls.length === 0) return
        const board = target(given, [], urls)
        if (!board) return
        try {
          const ids = await api.invoke('upload:urls', {
            urls: [...urls].slice(0, 100),
            board: board.token,
          })
          await remember(board)
          confirm(`${plural(ids.length, 'link')} sent to ${board.title}`)
        } catch (error) {
          showToast({ level: 'error', message: `Could not add the links: ${errorMessage(error)}` })
        }
      },
    }
  }, [api])
}
