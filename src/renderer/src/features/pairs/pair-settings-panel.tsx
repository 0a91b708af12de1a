/**
 * One folder's settings, opened from its card: pause this folder only, what a changed file
 * becomes, and its own ignore patterns. Each change is sent at once and the engine applies it at
 * the folder's next scan (started right away); a refused value stays in its field with the
 * reason. The sub-folder mapping editor plugs into the `mapping` slot.
 */
import { useState, type ReactNode } from 'react'
import { Save, X } from 'lucide-react'
import type { InvokeRequest } from '../../../../shared/contract.ts'
import type { PairSettings, PairSnapshot } from '../../../../shared/pair-models.ts'
import { changePolicies, changePolicyWords } from '../../../../shared/pair-models.ts'
import { useApi } from '../../api-context.tsx'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { Button } from '../../ui/button.tsx'
import { TextArea, Toggle } from '../../ui/field.tsx'
import { patternLines, refusalWords } from '../settings/typed-settings.ts'

/** Props of `PairSettingsPanel`. */
export interface PairSettingsPanelProps {
  readonly pair: PairSnapshot
  /** The folder's short name, for the heading and labels. */
  readonly name: string
  /** The element id the card's "Settings" button controls. */
  readonly id: string
  readonly onClose: () => void
  /** Where the sub-folder → board mapping editor goes (it is edited there, not here). */
  readonly mapping?: ReactNode
}

const n = (value: number): string => value.toLocaleString('en-US')

/** Keeps the store's copy of a pair in step with what the host answered. */
function storePair(next: PairSnapshot): void {
  useAppStore.setState((s) => ({ pairs: s.pairs.map((p) => (p.id === next.id ? next : p)) }))
}

/** The per-folder settings panel. */
export function PairSettingsPanel({ pair, name, id, onClose, mapping }: PairSettingsPanelProps) {
  const api = useApi()
  const stored = pair.settings.ignorePatterns.join('\n')
  const [patterns, setPatterns] = useState<string | null>(null)
  const [patternError, setPatternError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [changing, setChanging] = useState(false)
  const headingId = `${id}-title`
  const paused = pair.status.kind === 'paused'

  const update = async (settings: InvokeRequest<'pairs:update'>['settings']) => {
    storePair(await api.invoke('pairs:update', { id: pair.id, settings }))
  }
  const savePatterns = async () => {
    if (patterns === null) return
    setSaving(true)
    setPatternError(null)
    try {
      await update({ ignorePatterns: patternLines(patterns) })
      setPatterns(null)
    } catch (error) {
      setPatternError(refusalWords(error))
    } finally {
      setSaving(false)
    }
  }
  const setPolicy = async (onChange: PairSettings['onChange']) => {
    setChanging(true)
    try {
      await update({ onChange })
    } catch (error) {
      showToast({ level: 'error', message: `Could not change ${name}: ${refusalWords(error)}` })
    } finally {
      setChanging(false)
    }
  }
  const setPaused = async (pause: boolean) => {
    try {
      storePair(await api.invoke(pause ? 'pairs:pause' : 'pairs:resume', { id: pair.id }))
    } catch (error) {
      showToast({ level: 'error', message: `Could not change ${name}: ${refusalWords(error)}` })
    }
  }

  return (
    <section
      id={id}
      className="pair-settings"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          onClose()
        }
      }}
    >
      <div className="pair-settings-head">
        <h2 id={headingId}>Options for {name}</h2>
        <Button size="sm" variant="ghost" icon={<X size={14} aria-hidden />} onClick={onClose}>
          Close
        </Button>
      </div>
      <Toggle
        label="Pause this folder"
        hint="Stops watching and uploading this folder only; other folders go on."
        checked={paused}
        onChange={(pause) => void setPaused(pause)}
      />
      <fieldset className="radio-group" disabled={changing}>
        <legend>When a synced file changes</legend>
        {changePolicies.map((policy) => (
          <label key={policy}>
            <input
              type="radio"
              name={`${id}-on-change`}
              checked={pair.settings.onChange === policy}
              onChange={() => void setPolicy(policy)}
            />
            <span>
              {changePolicyWords[policy].label}{' '}
              <span className="muted small">{changePolicyWords[policy].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <TextArea
        label="Ignore patterns for this folder"
        rows={3}
        spellCheck={false}
        value={patterns ?? stored}
        error={patternError}
        onChange={(event) => {
          setPatterns(event.currentTarget.value)
          setPatternError(null)
        }}
        hint="One per line, like .gitignore: *.psd, renders/tmp/. Applied at once: ignored files are skipped with the reason, files no longer ignored are uploaded."
      />
      <div className="pair-actions">
        <p className="muted small pair-settings-count" aria-live="polite">
          {`Skipped now: ${n(pair.tally.skipped)} (ignored or left as they are)`}
        </p>
        <Button
          size="sm"
          icon={<Save size={14} aria-hidden />}
          busy={saving}
          disabled={patterns === null || patterns === stored}
          onClick={() => void savePatterns()}
        >
          Save patterns
        </Button>
      </div>
      {mapping}
    </section>
  )
}
