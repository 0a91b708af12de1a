/** Folder pairs: each synced folder, where it goes, what it is doing, and its counts. */
import { useState } from 'react'
import { FolderPlus, FolderSync, RefreshCw, Trash2 } from 'lucide-react'
import type { PairSnapshot, PairStatus } from '../../../../shared/pair-models.ts'
import { assertNever } from '../../../../shared/assert-never.ts'
import { useApi } from '../../api-context.tsx'
import { formatAgo, plural } from '../../lib/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { Button, IconButton } from '../../ui/button.tsx'
import { EmptyState, LoadingState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { useNow } from '../../ui/use-now.ts'
import { AddPairFlow } from './add-pair-flow.tsx'

function statusText(status: PairStatus): { label: string; tone: string } {
  switch (status.kind) {
    case 'idle':
      return { label: 'Up to date', tone: 'done' }
    case 'scanning':
      return { label: 'Scanning', tone: 'active' }
    case 'syncing':
      return { label: 'Syncing', tone: 'active' }
    case 'paused':
      return { label: 'Paused', tone: 'paused' }
    case 'offline':
      return { label: 'Offline', tone: 'paused' }
    case 'error':
      return { label: 'Needs attention', tone: 'failed' }
    default:
      return assertNever(status, 'pair status')
  }
}

function PairCard({ pair }: { readonly pair: PairSnapshot }) {
  const api = useApi()
  const [sync, syncing] = useAction(
    () => api.invoke('pairs:sync-now', { id: pair.id }),
    'Sync failed',
  )
  const [remove, removing] = useAction(async () => {
    await api.invoke('pairs:remove', { id: pair.id })
    useAppStore.setState((s) => ({ pairs: s.pairs.filter((p) => p.id !== pair.id) }))
  }, 'Could not remove the folder')
  const status = statusText(pair.status)
  const now = useNow()
  const name = pair.folder.split(/[/\\]/).filter(Boolean).pop() ?? pair.folder
  return (
    <li className="pair-card" aria-label={`${name} to ${pair.boardTitle ?? pair.board}`}>
      <div className="pair-main">
        <FolderSync size={18} aria-hidden className="pair-icon" />
        <div className="pair-text">
          <p className="pair-name">
            {name} <span className="muted">→</span> {pair.boardTitle ?? pair.board}
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
        </div>
        <span className={`chip chip-${status.tone}`}>{status.label}</span>
      </div>
      <dl className="pair-counts">
        <div>
          <dt>Synced</dt>
          <dd>{pair.counts.synced.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>{pair.counts.pending.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{pair.counts.failed.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Ignored</dt>
          <dd>{pair.counts.ignored.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{formatAgo(pair.lastSyncAt, now)}</dd>
        </div>
      </dl>
      <div className="pair-actions">
        <Button
          size="sm"
          icon={<RefreshCw size={14} aria-hidden />}
          busy={syncing}
          onClick={() => void sync()}
        >
          Sync now
        </Button>
        <IconButton
          label={`Stop syncing ${name}`}
          icon={<Trash2 size={15} />}
          disabled={removing}
          onClick={() => void remove()}
        />
      </div>
    </li>
  )
}

/** The folders screen. */
export function PairsScreen() {
  const pairs = useAppStore((s) => s.pairs)
  const loaded = useAppStore((s) => s.pairsLoaded)
  const [adding, setAdding] = useState(false)
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
