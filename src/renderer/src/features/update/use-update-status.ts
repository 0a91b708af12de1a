/**
 * The app's self-update as the host reports it: fetched once, then mirrored from `update:changed`.
 * The host owns the state; this hook only mirrors it.
 */
import { useEffect, useState } from 'react'
import type { UpdateStatus } from '../../../../shared/contract.ts'
import { useApi } from '../../api-context.tsx'

/** The current update status, or null until the host answered. */
export function useUpdateStatus(): UpdateStatus | null {
  const api = useApi()
  const [status, setStatus] = useState<UpdateStatus | null>(null)
  useEffect(() => {
    let live = true
    const off = api.on('update:changed', (next) => setStatus(next))
    api.invoke('update:get').then(
      (next) => live && setStatus(next),
      () => {},
    )
    return () => {
      live = false
      off()
    }
  }, [api])
  return status
}

/** The status in words, for the settings screen. */
export function updateStatusText(status: UpdateStatus): string {
  switch (status.kind) {
    case 'disabled':
      return status.reason
    case 'idle':
      return 'Updates are checked at start and every few hours.'
    case 'checking':
      return 'Checking for updates…'
    case 'up-to-date':
      return 'You have the latest version.'
    case 'downloading':
      return `Downloading version ${status.version} (${status.percent} %)…`
    case 'ready':
      return `Version ${status.version} is ready. It installs when you quit, or restart now.`
    case 'error':
      return `Could not check for updates: ${status.message}`
  }
}
