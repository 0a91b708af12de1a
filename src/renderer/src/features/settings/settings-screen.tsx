/**
 * Settings: transfer tuning, ignore patterns, change handling, notifications, start at login,
 * Playbook plugins, account.
 */
import { useState } from 'react'
import { FileText, LogOut } from 'lucide-react'
import type { InvokeRequest } from '../../../../shared/contract.ts'
import { useApi } from '../../api-context.tsx'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { TextArea, TextField, Toggle } from '../../ui/field.tsx'
import { LoadingState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { PluginsSection } from './plugins-section.tsx'
import { UpdateSection } from '../update/update-banner.tsx'

const megabyte = 1_000_000

/** The settings screen; every change is saved at once. */
export function SettingsScreen() {
  const api = useApi()
  const settings = useAppStore((s) => s.settings)
  const session = useAppStore((s) => s.session)
  const info = useAppStore((s) => s.info)
  const [patterns, setPatterns] = useState<string | null>(null)
  const save = async (patch: InvokeRequest<'settings:set'>) => {
    try {
      useAppStore.setState({ settings: await api.invoke('settings:set', patch) })
    } catch (e) {
      showToast({ level: 'error', message: `Could not save: ${errorMessage(e)}` })
    }
  }
  const [signOut, signingOut] = useAction(async () => {
    useAppStore.setState({ session: await api.invoke('session:sign-out') })
  }, 'Could not sign out')
  if (!settings) return <LoadingState label="Loading settings…" />
  const signedIn = session?.kind === 'signed-in' ? session : null

  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
      </header>

      <div className="panel settings-group">
        <h2 className="panel-title">Uploads</h2>
        <div className="grid-2">
          <TextField
            label="Files at once"
            type="number"
            min={1}
            max={16}
            value={settings.concurrency}
            onChange={(e) => {
              const value = Number(e.currentTarget.value)
              if (Number.isInteger(value) && value >= 1 && value <= 16)
                void save({ concurrency: value })
            }}
            hint="Applies from the next start."
          />
          <TextField
            label="Bandwidth cap (MB/s)"
            type="number"
            min={0}
            step={0.5}
            value={settings.bandwidthLimit / megabyte}
            onChange={(e) => {
              const value = Number(e.currentTarget.value)
              if (Number.isFinite(value) && value >= 0)
                void save({ bandwidthLimit: Math.round(value * megabyte) })
            }}
            hint="0 means no cap."
          />
        </div>
        <fieldset className="radio-group">
          <legend>When a synced file changes</legend>
          <label>
            <input
              type="radio"
              name="on-change"
              checked={settings.onChange === 'version'}
              onChange={() => void save({ onChange: 'version' })}
            />
            Add a new version of the same asset
          </label>
          <label>
            <input
              type="radio"
              name="on-change"
              checked={settings.onChange === 'new-asset'}
              onChange={() => void save({ onChange: 'new-asset' })}
            />
            Upload it as a new asset
          </label>
          <label>
            <input
              type="radio"
              name="on-change"
              checked={settings.onChange === 'skip'}
              onChange={() => void save({ onChange: 'skip' })}
            />
            Leave the board as it is
          </label>
        </fieldset>
        <TextArea
          label="Ignore patterns"
          rows={4}
          spellCheck={false}
          value={patterns ?? settings.ignorePatterns.join('\n')}
          onChange={(e) => setPatterns(e.currentTarget.value)}
          onBlur={() => {
            if (patterns === null) return
            const list = patterns
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
            void save({ ignorePatterns: list }).then(() => setPatterns(null))
          }}
          hint="One per line, like .gitignore: *.psd, renders/tmp/. Junk files are always skipped."
        />
      </div>

      <div className="panel settings-group">
        <h2 className="panel-title">This computer</h2>
        <Toggle
          label="Notifications"
          hint="When a sync finishes, something fails, or you need to sign in again."
          checked={settings.notifications}
          onChange={(notifications) => void save({ notifications })}
        />
        <Toggle
          label="Start at login"
          hint={
            info?.host === 'electron'
              ? 'Keeps syncing in the tray after you log in.'
              : 'Only in the desktop app.'
          }
          checked={settings.startAtLogin}
          disabled={info?.host !== 'electron'}
          onChange={(startAtLogin) => void save({ startAtLogin })}
        />
        {info?.host === 'electron' && (
          <Button
            icon={<FileText size={16} aria-hidden />}
            onClick={() => void api.invoke('shell:show-logs')}
          >
            Show logs
          </Button>
        )}
      </div>

      <PluginsSection />

      <UpdateSection />

      <div className="panel settings-group">
        <h2 className="panel-title">Account</h2>
        <p className="small">
          {signedIn
            ? `Signed in to ${signedIn.org?.name ?? 'Playbook'}${signedIn.sandbox ? ' (sandbox)' : ''} at ${signedIn.apiUrl}`
            : 'Not signed in.'}
        </p>
        <Button
          variant="danger"
          icon={<LogOut size={16} aria-hidden />}
          busy={signingOut}
          onClick={() => void signOut()}
        >
          Sign out
        </Button>
        {info && (
          <p className="muted small">
            {info.name} {info.version} · {info.platform} ·{' '}
            {info.host === 'electron' ? 'desktop app' : 'headless host'}
          </p>
        )}
      </div>
    </section>
  )
}
