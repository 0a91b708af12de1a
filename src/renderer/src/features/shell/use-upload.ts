/**
 * Uploading what the user hands over (dropped, pasted or picked): files go through the transport
 * (paths in Electron, streamed to the headless host), links through URL ingest. Both land on the
 * last used board and jump the queue.
 */
import { useMemo } from 'react'
import type { DroppedFile } from '../../../../shared/contract.ts'
import { useApi } from '../../api-context.tsx'
import { plural } from '../../lib/format.ts'
import { goTo, showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'

/** The two ways in. */
export interface Upload {
  files(files: readonly DroppedFile[]): Promise<void>
  urls(urls: readonly string[]): Promise<void>
}

/** Returns upload functions bound to the current board. */
export function useUpload(): Upload {
  const api = useApi()
  return useMemo(() => {
    const board = () => {
      const last = useAppStore.getState().settings?.lastBoard ?? null
      if (!last) {
        showToast({
          level: 'warning',
          message: 'Choose a board first: dropped files go to the board you pick.',
        })
        goTo('boards')
      }
      return last
    }
    // On the activity screen the new rows say it all; elsewhere a toast confirms.
    const confirm = (message: string) => {
      if (useAppStore.getState().screen !== 'activity') showToast({ level: 'info', message })
      goTo('activity')
    }
    return {
      async files(files) {
        const target = board()
        if (!target || files.length === 0) return
        try {
          const ids = await api.sendFiles(files, target.token)
          confirm(`${plural(ids.length, 'file')} added to ${target.title}`)
        } catch (error) {
          showToast({ level: 'error', message: `Could not add the files: ${errorMessage(error)}` })
        }
      },
      async urls(urls) {
        const target = board()
        if (!target || urls.length === 0) return
        try {
          const ids = await api.invoke('upload:urls', {
            urls: [...urls].slice(0, 100),
            board: target.token,
          })
          confirm(`${plural(ids.length, 'link')} sent to ${target.title}`)
        } catch (error) {
          showToast({ level: 'error', message: `Could not add the links: ${errorMessage(error)}` })
        }
      },
    }
  }, [api])
}
