/**
 * "Playbook plugins" on the settings screen: turn the local plugin host on or off, choose where
 * "Send to desktop" saves, and copy the two invocation URLs to register with Playbook.
 */
import { useState } from 'react'
import { Check, Copy, FolderOpen } from 'lucide-react'
import type {
  InvokeRequest,
  PluginHostStatus,
  PluginName,
  PluginsState,
} from '../../../../shared/contract.ts'
import { assertNever } from '../../../../shared/assert-never.ts'
import { useApi } from '../../api-context.tsx'
import { pluginLabel } from '../../lib/plugin-items.ts'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { TextField, Toggle } from '../../ui/field.tsx'
import { LoadingState } from '../../ui/states.tsx'

const pluginOrder: readonly PluginName[] = ['send-to-desktop', 'web-versions']

function statusLine(status: PluginHostStatus): string {
  switch (status.kind) {
    case 'off':
      return 'Off. Playbook cannot reach this computer.'
    case 'starting':
      return 'Starting…'
    case 'on':
      return `On, listening on port ${status.port}.`
    case 'error':
      return status.message
    default:
      return assertNever(status, 'plugin host status')
  }
}

/** One invocation URL, read-only, with a copy button. */
function UrlRow({ plugin, url }: { readonly plugin: PluginName; readonly url: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch (e) {
      showToast({ level: 'error', message: `Could not copy: ${errorMessage(e)}` })
    }
  }
  const label = `${pluginLabel(plugin)} URL`
  return (
    <div className="plugin-url">
      <TextField
        label={label}
        readOnly
        spellCheck={false}
        value={url}
        data-plugin={plugin}
        onFocus={(e) => e.currentTarget.select()}
      />
      <Button
        size="sm"
        icon={copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
        aria-label={`Copy the ${label}`}
        onClick={() => void copy()}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  )
}

/** The form once the state is known. */
function PluginsForm({ state }: { readonly state: PluginsState }) {
  const api = useApi()
  const info = useAppStore((s) => s.info)
  const [dest, setDest] = useState<string | null>(null)
  const [port, setPort] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The switch shows what was asked for at once; the status line says when the host follows.
  const [wanted, setWanted] = useState<boolean | null>(null)
  const [error, setError] = useState<{ field: 'dest' | 'port'; message: string } | null>(null)
  const save = async (patch: InvokeRequest<'plugins:set'>, field?: 'dest' | 'port') => {
    setBusy(true)
    try {
      useAppStore.setState({ plugins: await api.invoke('plugins:set', patch) })
      setError(null)
      return true
    } catch (e) {
      if (field) setError({ field, message: errorMessage(e) })
      else showToast({ level: 'error', message: `Could not change plugins: ${errorMessage(e)}` })
      return false
    } finally {
      setBusy(false)
    }
  }
  const saveDest = async (value: string) => {
    const trimmed = value.trim()
    if (trimmed === state.dest) return setDest(null)
    // The host asks the user (its terminal, or the app's dialog) and hands back a handle.
    let choice
    try {
      choice = await api.invoke('dialog:pick-folder', { purpose: 'plugin-dest', typed: trimmed })
    } catch (e) {
      return setError({ field: 'dest', message: errorMessage(e) })
    }
    if (!choice) return setError({ field: 'dest', message: 'The folder was not confirmed.' })
    if (await save({ dest: choice.handle }, 'dest')) setDest(null)
  }
  const savePort = async (value: string) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < 0 || number > 65_535) {
      return setError({ field: 'port', message: 'A port is a whole number from 0 to 65535.' })
    }
    if (number === state.port) return setPort(null)
    if (await save({ port: number }, 'port')) setPort(null)
  }
  const pickFolder = async () => {
    const choice = await api.invoke('dialog:pick-folder', { purpose: 'plugin-dest' })
    if (choice && (await save({ dest: choice.handle }, 'dest'))) setDest(null)
  }
  const status = state.status

  return (
    <>
      <Toggle
        label="Run the plugin host"
        hint="Lets the “Send to desktop” and “Make web versions” plugins reach this computer."
        checked={wanted ?? state.enabled}
        disabled={busy}
        onChange={(enabled) => {
          setWanted(enabled)
          void save({ enabled }).finally(() => setWanted(null))
        }}
      />
      <p
        className={`small${status.kind === 'error' ? ' field-error' : ' muted'}`}
        role="status"
        aria-label="Plugin host status"
        data-status={status.kind}
      >
        {statusLine(status)}
      </p>
      <div className="grid-2">
        <TextField
          label="Save downloads to"
          spellCheck={false}
          value={dest ?? state.dest}
          onChange={(e) => setDest(e.currentTarget.value)}
          onBlur={() => dest !== null && void saveDest(dest)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && dest !== null) void saveDest(dest)
          }}
          error={error?.field === 'dest' ? error.message : null}
          hint="A folder on the computer running Playbook Sync. Files never overwrite each other."
        />
        <TextField
          label="Port"
          type="number"
          min={0}
          max={65_535}
          value={port ?? String(state.port)}
          onChange={(e) => setPort(e.currentTarget.value)}
          onBlur={() => port !== null && void savePort(port)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && port !== null) void savePort(port)
          }}
          error={error?.field === 'port' ? error.message : null}
          hint="0 picks a free port each time."
        />
      </div>
      {info?.host === 'electron' && (
        <Button icon={<FolderOpen size={16} aria-hidden />} onClick={() => void pickFolder()}>
          Choose folder…
        </Button>
      )}
      {status.kind === 'on' && (
        <div className="plugin-urls">
          <p className="small muted">
            Register these in Playbook. They contain the host’s secret: share them only with
            Playbook.
          </p>
          {pluginOrder.map((plugin) => (
            <UrlRow key={plugin} plugin={plugin} url={status.urls[plugin]} />
          ))}
        </div>
      )}
    </>
  )
}

/** The section; a loading state until the host answered. */
export function PluginsSection() {
  const state = useAppStore((s) => s.plugins)
  return (
    <div className="panel settings-group" aria-labelledby="plugins-title">
      <h2 className="panel-title" id="plugins-title">
        Playbook plugins
      </h2>
      {state ? <PluginsForm state={state} /> : <LoadingState label="Loading plugins…" />}
    </div>
  )
}
