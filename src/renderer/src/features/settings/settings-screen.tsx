/**
 * Settings: transfer tuning, ignore patterns, change handling, notifications, start at login,
 * Playbook plugins, account. Limits and patterns apply at once (to uploads and folders already
 * running); a value the engine refuses stays in its field with the reason, never reset.
 */
import { useState } from 'react'
import { FileText, LogOut } from 'lucide-react'
import type { AppSettings, InvokeRequest } from '../../../../shared/contract.ts'
import { maxFilesAtOnce } from '../../../../shared/contract-models.ts'
import { changePolicies, changePolicyWords } from '../../../../shared/pair-models.ts'
import { useApi } from '../../api-context.tsx'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { TextArea, TextField, Toggle } from '../../ui/field.tsx'
import { LoadingState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { PluginsSection } from './plugins-section.tsx'
import { numberOf, patternLines, refusalWords } from './typed-settings.ts'
import { UpdateSection } from '../update/update-banner.tsx'

const megabyte = 1_000_000

/** Fields whose typed text is kept (with the host's reason) until a value is accepted. */
type DraftField = 'concurrency' | 'bandwidthLimit' | 'ignorePatterns'
type Drafts = Partial<Record<DraftField, { readonly text: string; readonly error: string | null }>>

/** The settings screen; every change is saved at once. */
export function SettingsScreen() {
  const api = useApi()
  const settings = useAppStore((s) => s.settings)
  const session = useAppStore((s) => s.session)
  const info = useAppStore((s) => s.info)
  const [drafts, setDrafts] = useState<Drafts>({})
  const save = async (patch: InvokeRequest<'settings:set'>) => {
    try {
      useAppStore.setState({ settings: await api.invoke('settings:set', patch) })
    } catch (e) {
      showToast({ level: 'error', message: `Could not save: ${errorMessage(e)}` })
    }
  }
  /** Sends a typed value; the field keeps the text and shows the reason when it is refused. */
  const saveField = async (field: DraftField, text: string, patch: Partial<AppSettings>) => {
    setDrafts((d) => ({ ...d, [field]: { text, error: null } }))
    try {
      const next = await api.invoke('settings:set', patch as InvokeRequest<'settings:set'>)
      useAppStore.setState({ settings: next })
      setDrafts((d) => (d[field]?.text === text ? { ...d, [field]: undefined } : d))
    } catch (e) {
      const error = refusalWords(e)
      setDrafts((d) => (d[field]?.text === text ? { ...d, [field]: { text, error } } : d))
    }
  }
  const typed = (field: DraftField, stored: string) => drafts[field]?.text ?? stored
  const refused = (field: DraftField) => drafts[field]?.error ?? null
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
            max={maxFilesAtOnce}
            value={typed('concurrency', String(settings.concurrency))}
            error={refused('concurrency')}
            onChange={(e) => {
              const text = e.currentTarget.value
              void saveField('concurrency', text, { concurrency: numberOf(text) })
            }}
            hint="Applies at once, to uploads already running too."
          />
          <TextField
            label="Bandwidth cap (MB/s)"
            type="number"
            min={0}
            step={0.5}
            value={typed('bandwidthLimit', String(settings.bandwidthLimit / megabyte))}
            error={refused('bandwidthLimit')}
            onChange={(e) => {
              const text = e.currentTarget.value
              const value = numberOf(text)
              void saveField('bandwidthLimit', text, {
                bandwidthLimit: Number.isFinite(value) ? Math.round(value * megabyte) : value,
              })
            }}
            hint="0 means no cap. Running uploads slow down or speed up at once."
          />
        </div>
        <fieldset className="radio-group">
          <legend>When a synced file changes (folders added from now on)</legend>
          {changePolicies.map((policy) => (
            <label key={policy}>
              <input
                type="radio"
                name="on-change"
                checked={settings.onChange === policy}
                onChange={() => void save({ onChange: policy })}
              />
              {changePolicyWords[policy].label}
            </label>
          ))}
          <p className="field-hint">Each folder has its own choice in its settings on Folders.</p>
        </fieldset>
        <TextArea
          label="Ignore patterns for every folder"
          rows={4}
          spellCheck={false}
          value={typed('ignorePatterns', settings.ignorePatterns.join('\n'))}
          error={refused('ignorePatterns')}
          onChange={(e) => {
            const text = e.currentTarget.value
            setDrafts((d) => ({ ...d, ignorePatterns: { text, error: null } }))
          }}
          onBlur={() => {
            const text = drafts.ignorePatterns?.text
            if (text === undefined) return
            void saveField('ignorePatterns', text, { ignorePatterns: patternLines(text) })
          }}
          hint="One per line, like .gitignore: *.psd, renders/tmp/. Applies to every folder at once, on top of each folder's own. Junk files are always skipped."
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
