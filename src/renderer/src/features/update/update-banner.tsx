/**
 * "Restart to update": a banner once an update is downloaded, and the updates row of the settings
 * screen (status in words, with the reason when updates are off). Main asks before restarting
 * over running uploads.
 */
import { Download, RefreshCw } from 'lucide-react'
import { useApi } from '../../api-context.tsx'
import { showToast } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { updateStatusText, useUpdateStatus } from './use-update-status.ts'

/** The banner shown while an update waits for a restart. */
export function UpdateBanner() {
  const api = useApi()
  const status = useUpdateStatus()
  if (status?.kind !== 'ready') return null
  const restart = () =>
    api
      .invoke('update:install')
      .catch((e: unknown) => showToast({ level: 'error', message: errorMessage(e) }))
  return (
    <div className="banner banner-info update-banner" role="status">
      <Download size={16} aria-hidden /> Playbook Sync {status.version} is ready.
      <Button size="sm" variant="primary" onClick={() => void restart()}>
        Restart to update
      </Button>
    </div>
  )
}

/** The settings screen's updates group. */
export function UpdateSection() {
  const api = useApi()
  const status = useUpdateStatus()
  if (!status) return null
  const check = () =>
    api
      .invoke('update:check')
      .catch((e: unknown) => showToast({ level: 'error', message: errorMessage(e) }))
  return (
    <div className="panel settings-group">
      <h2 className="panel-title">Updates</h2>
      <p className="small" data-update-status={status.kind}>
        {updateStatusText(status)}
      </p>
      {status.kind === 'ready' ? (
        <Button variant="primary" onClick={() => void api.invoke('update:install')}>
          Restart to update
        </Button>
      ) : (
        <Button
          icon={<RefreshCw size={16} aria-hidden />}
          disabled={status.kind === 'disabled' || status.kind === 'checking'}
          onClick={() => void check()}
        >
          Check for updates
        </Button>
      )}
    </div>
  )
}
