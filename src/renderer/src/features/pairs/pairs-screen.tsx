/** Folder pairs: each synced folder, where it goes, what it is doing, and its counts. */
import { useEffect, useState } from 'react'
import {
  CircleAlert,
  FolderPlus,
  FolderSync,
  RefreshCw,
  SlidersHorizontal,
  Trash2,
} from 'lucide-react'
import type { PairSnapshot, PairStatus } from '../../../../shared/pair-models.ts'
import { assertNever } from '../../../../shared/assert-never.ts'
import { useApi } from '../../api-context.tsx'
import { formatAgo, plural } from '../../lib/format.ts'
import { showIssues, useAppStore } from '../../store/app-store.ts'
import { Button, IconButton } from '../../ui/button.tsx'
import { EmptyState, LoadingState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { useNow } from '../../ui/use-now.ts'
import { WaitWords } from '../../ui/wait-words.tsx'
import { AddPairFlow } from './add-pair-flow.tsx'
import { PairSettingsPanel } from './pair-settings-panel.tsx'
import { PairBoardMap } from './pair-board-map.tsx'

function statusText(pair: PairSnapshot): { label: string; tone: string } {
  const status: PairStatus = pair.status
  switch (status.kind) {
    case 'paused':
      return { label: 'Paused', tone: 'paused' }
    case 'error':
      return { label: 'Needs attention', tone: 'failed' }
    case 'scanning':
      return { label: 'Looking for changes', tone: 'active' }
    case 'idle':
    case 'syncing':
    case 'offline':
      break
    default:
      return assertNever(status, 'pair status')
  }
  if (pair.wait?.kind === 'offline') return { label: "Can't reach Playbook", tone: 'paused' }
  if (pair.wait?.kind === 'busy') return { label: 'Waiting for Playbook', tone: 'paused' }
  if (pair.wait?.kind === 'signed-out') return { label: 'Signed out', tone: 'paused' }
  if (pair.tally.uploading + pair.tally.waiting > 0) return { label: 'Syncing', tone: 'active' }
  if (pair.tally.attention > 0) return { label: 'Needs attention', tone: 'failed' }
  return pair.upToDate
    ? { label: 'Up to date', tone: 'done' }
    : { label: 'Syncing', tone: 'active' }
}

const n = (value: number): string => value.toLocaleString('en-US')

function PairCard({ pair }: { readonly pair: PairSnapshot }) {
  const api = useApi()
  const [confirming, setConfirming] = useState(false)
  const [editing, setEditing] = useState(false)
  const panelId = `pair-settings-${pair.id}`
  const closeSettings = () => {
    setEditing(false)
    // Focus goes back to the button that opened the panel (keyboard users stay in place).
    requestAnimationFrame(() => document.getElementById(`${panelId}-open`)?.focus())
  }
  const [mapping, setMapping] = useState(false)
  const [sync, syncing] = useAction(
    () => api.invoke('pairs:sync-now', { id: pair.id }),
    'Sync failed',
  )
  const [remove, removing] = useAction(async () => {
    await api.invoke('pairs:remove', { id: pair.id })
    useAppStore.setState((s) => ({ pairs: s.pairs.filter((p) => p.id !== pair.id) }))
  }, 'Could not remove the folder')
  const status = statusText(pair)
  const now = useNow()
  const name = pair.folder.split(/[/\\]/).filter(Boolean).pop() ?? pair.folder
  const board = pair.boardTitle ?? pair.board
  const { tally } = pair
  return (
    <li
      className="pair-card"
      aria-label={`${name} to ${board}`}
      data-up-to-date={pair.upToDate ? 'true' : 'false'}
    >
      <div className="pair-main">
        <FolderSync size={18} aria-hidden className="pair-icon" />
        <div className="pair-text">
          <p className="pair-name">
            {name} <span className="muted">→</span> {board}
          </p>
          <p className="muted small path" title={pair.folder}>
            {pair.folder}
          </p>
          {pair.status.kind === 'error' && (
            <p className="field-error">
              {pair.status.reason}
              {pair.status.hint ? ` ${pair.status.hint}` : ''}
            </p>
          )}
          {pair.wait && pair.wait.kind !== 'paused' && <WaitWords cause={pair.wait} />}
        </div>
        <span className={`chip chip-${status.tone}`}>{status.label}</span>
      </div>
      <dl className="pair-counts">
        <div>
          <dt>On the board</dt>
          <dd>{n(tally.onBoard)}</dd>
        </div>
        {tally.sameContent > 0 && (
          <div>
            <dt>Same content as another file</dt>
            <dd>{n(tally.sameContent)}</dd>
          </div>
        )}
        <div>
          <dt>Uploading</dt>
          <dd>{n(tally.uploading)}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{n(tally.waiting)}</dd>
        </div>
        <div>
          <dt>Needs attention</dt>
          <dd>{n(tally.attention)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{n(tally.skipped)}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{formatAgo(pair.lastSyncAt, now)}</dd>
        </div>
      </dl>
      {confirming ? (
        <div
          className="pair-confirm"
          role="alertdialog"
          aria-labelledby={`confirm-${pair.id}`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault()
              setConfirming(false)
            }
          }}
        >
          <p id={`confirm-${pair.id}`}>
            Stop syncing {name}? Nothing on {board} is deleted, and your files stay where they are.
          </p>
          <div className="pair-actions">
            <Button
              size="sm"
              variant="danger"
              busy={removing}
              autoFocus
              onClick={() => void remove()}
            >
              Stop syncing
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Keep syncing
            </Button>
          </div>
        </div>
      ) : (
        <div className="pair-actions">
          <Button
            size="sm"
            icon={<RefreshCw size={14} aria-hidden />}
            busy={syncing}
            onClick={() => void sync()}
          >
            Sync now
          </Button>
          <Button
            id={`${panelId}-open`}
            size="sm"
            variant="ghost"
            icon={<SlidersHorizontal size={14} aria-hidden />}
            aria-expanded={editing}
            aria-controls={editing ? panelId : undefined}
            aria-label={`Options for ${name}`}
            onClick={() => (editing ? closeSettings() : setEditing(true))}
          >
            Options
          </Button>
          {tally.attention > 0 && (
            <Button
              size="sm"
              variant="ghost"
              icon={<CircleAlert size={14} aria-hidden />}
              onClick={() => showIssues(pair.id)}
            >
              {`See ${tally.attention === 1 ? '1 issue' : `${n(tally.attention)} issues`}`}
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => setMapping((m) => !m)}>
            Where sub-folders go
          </Button>
          <IconButton
            label={`Stop syncing ${name}`}
            icon={<Trash2 size={15} />}
            disabled={removing}
            onClick={() => setConfirming(true)}
          />
        </div>
      )}
      {editing && (
        <PairSettingsPanel pair={pair} name={name} id={panelId} onClose={closeSettings} />
      )}
      {mapping && <PairBoardMap pair={pair} onClose={() => setMapping(false)} />}
    </li>
  )
}

/** The folders screen. */
export function PairsScreen() {
  const pairs = useAppStore((s) => s.pairs)
  const loaded = useAppStore((s) => s.pairsLoaded)
  const [adding, setAdding] = useState(() => useAppStore.getState().addingPair)
  useEffect(() => {
    if (useAppStore.getState().addingPair) useAppStore.setState({ addingPair: false })
  }, [])
  return (
    <section className="screen" aria-labelledby="pairs-title">
      <header className="screen-header">
        <div>
          <h1 id="pairs-title">Folders</h1>
          <p className="muted small">
            {pairs.length > 0
              ? `${plural(pairs.length, 'folder')} kept in sync. New and changed files upload on their own.`
              : 'Pair a folder with a board: everything saved there shows up on the board.'}
          </p>
        </div>
        {!adding && (
          <Button
            variant="primary"
            icon={<FolderPlus size={16} aria-hidden />}
            onClick={() => setAdding(true)}
          >
            Add folder
          </Button>
        )}
      </header>
      {adding && <AddPairFlow onDone={() => setAdding(false)} />}
      {!loaded && <LoadingState label="Loading folders…" />}
      {loaded && pairs.length === 0 && !adding && (
        <EmptyState
          icon={<FolderSync size={22} />}
          title="No folders yet"
          action={
            <Button icon={<FolderPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
              Add folder
            </Button>
          }
        >
          Choose a folder and a board; Playbook Sync uploads what is there, then watches for more.
        </EmptyState>
      )}
      {pairs.length > 0 && (
        <ul className="pair-list" aria-label="Synced folders">
          {pairs.map((pair) => (
            <PairCard key={pair.id} pair={pair} />
          ))}
        </ul>
      )}
    </section>
  )
}
