/**
 * Activity: every job, newest first, virtualized so 10,000 jobs scroll smoothly; totals, pause and
 * resume, retry everything that failed, and a button to add files (the same as dropping them).
 */
import {
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ChangeEvent,
} from 'react'
import { FolderPlus, Inbox, Pause, Play, RotateCcw, Upload } from 'lucide-react'
import { useApi } from '../../api-context.tsx'
import { formatBytes, formatCount, formatEta, formatSpeed } from '../../lib/format.ts'
import { createViewSelector, type JobFilter } from '../../lib/job-list.ts'
import { goTo, pairAFolder, useAppStore } from '../../store/app-store.ts'
import { Button } from '../../ui/button.tsx'
import { ProgressBar } from '../../ui/progress-bar.tsx'
import { EmptyState, LoadingState } from '../../ui/states.tsx'
import { FixedRowList } from '../../ui/fixed-row-list.tsx'
import { useAction } from '../../ui/use-action.ts'
import { useUpload } from '../shell/use-upload.ts'
import { JobRow } from './job-row.tsx'
import { LazyPluginList } from '../shell/lazy-screens.ts'

const rowHeight = 64
const filters: readonly { value: JobFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'In progress' },
  { value: 'failed', label: 'Failed' },
  { value: 'done', label: 'Done' },
]

/** Files finished per second over the last half minute (from the done count as it grows). */
function useFileRate(done: number): number {
  const samples = useRef<{ t: number; done: number }[]>([])
  const [rate, setRate] = useState(0)
  useEffect(() => {
    const now = Date.now()
    const list = samples.current.filter((s) => now - s.t < 30_000)
    list.push({ t: now, done })
    samples.current = list
    const first = list[0]
    const seconds = first ? (now - first.t) / 1000 : 0
    setRate(first && seconds >= 2 && done > first.done ? (done - first.done) / seconds : 0)
  }, [done])
  return rate
}

function Totals() {
  const api = useApi()
  const totals = useAppStore((s) => s.totals)
  const [pauseAll, pausing] = useAction(() => api.invoke('jobs:pause', {}), 'Could not pause')
  const [resumeAll, resuming] = useAction(() => api.invoke('jobs:resume', {}), 'Could not resume')
  const [retryAll, retrying] = useAction(() => api.invoke('jobs:retry', {}), 'Could not retry')
  const rate = useFileRate(totals?.done ?? 0)
  if (!totals) return null
  const working = totals.queued + totals.active
  const left = totals.bytesTotal - totals.bytesDone
  // Honest counts: "uploading" is what sends bytes now; everything else on its way waits.
  const sending = Math.min(totals.sending ?? totals.active, working)
  const waiting = working - sending
  const eta =
    totals.speed > 0 ? left / totals.speed : rate > 0 && working > 0 ? working / rate : null
  const moving = [
    sending > 0 && `${formatCount(sending)} uploading`,
    waiting > 0 && `${formatCount(waiting)} waiting`,
  ]
    .filter(Boolean)
    .join(', ')
  const summary = [
    moving,
    `${formatCount(totals.done)} done`,
    totals.failed > 0 && `${formatCount(totals.failed)} failed`,
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <div className="totals" aria-label="Queue totals">
      <div className="totals-text">
        <p className="totals-summary" aria-live="polite">
          {totals.paused ? 'Paused · ' : ''}
          {summary}
        </p>
        <p className="muted small">
          {working > 0
            ? [
                `${formatBytes(totals.bytesDone)} of ${formatBytes(totals.bytesTotal)}`,
                formatSpeed(totals.speed),
                rate > 0 && `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} files/s`,
                formatEta(eta),
              ]
                .filter(Boolean)
                .join(' · ')
            : 'Nothing waiting.'}
        </p>
        {working > 0 && (
          <ProgressBar
            value={totals.bytesDone}
            max={totals.bytesTotal}
            label="Total progress"
            tone={totals.paused ? 'paused' : 'active'}
          />
        )}
      </div>
      <div className="row">
        {totals.failed > 0 && (
          <Button
            size="sm"
            icon={<RotateCcw size={14} aria-hidden />}
            busy={retrying}
            onClick={() => void retryAll()}
          >
            Retry all failed
          </Button>
        )}
        {/* Distinct keys: a fresh button for each, so no frame shows dark text on the accent
            background while the colors transition from one to the other. */}
        {totals.paused ? (
          <Button
            key="resume-all"
            size="sm"
            variant="primary"
            icon={<Play size={14} aria-hidden />}
            busy={resuming}
            onClick={() => void resumeAll()}
          >
            Resume all
          </Button>
        ) : (
          <Button
            key="pause-all"
            size="sm"
            icon={<Pause size={14} aria-hidden />}
            busy={pausing}
            onClick={() => void pauseAll()}
          >
            Pause all
          </Button>
        )}
      </div>
    </div>
  )
}

/** The activity screen. */
export function ActivityScreen() {
  const filter = useAppStore((s) => s.filter)
  const totals = useAppStore((s) => s.totals)
  const lastBoard = useAppStore((s) => s.settings?.lastBoard ?? null)
  const view = useAppStore((s) => s.activityView)
  const pluginCount = useAppStore((s) => s.pluginItems.length)
  const pluginsOn = useAppStore((s) => s.plugins?.enabled ?? false)
  const hasPairs = useAppStore((s) => s.pairs.length > 0)
  const [query, setQuery] = useState('')
  const [clearedAt, setClearedAt] = useState(0)
  // The same ids array while only progress changes: this screen then does not re-render at all,
  // only the rows whose job changed (each selects its own job).
  const selectIds = useMemo(() => createViewSelector(), [])
  const ids = useAppStore((s) => selectIds(s.jobs, { filter, query, clearedAt }))
  const fileInput = useRef<HTMLInputElement>(null)
  const upload = useUpload()
  // Stable while the ids are, so scrolling re-renders the list and not the rows in it.
  const rowKey = useCallback((index: number) => ids[index] ?? index, [ids])
  const renderRow = useCallback((index: number) => <JobRow id={ids[index] ?? ''} />, [ids])
  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])]
    event.currentTarget.value = ''
    if (files.length > 0) void upload.files(files)
  }

  return (
    <section className="screen screen-fill" aria-labelledby="activity-title">
      <header className="screen-header">
        <div>
          <h1 id="activity-title">Activity</h1>
          <p className="muted small">
            Drop files, folders or links anywhere to upload them to{' '}
            {lastBoard ? (
              <strong>{lastBoard.title}</strong>
            ) : (
              <button type="button" className="link" onClick={() => goTo('boards')}>
                a board you choose
              </button>
            )}
            .
          </p>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          onChange={onFiles}
          data-testid="file-input"
        />
        <Button icon={<Upload size={16} aria-hidden />} onClick={() => fileInput.current?.click()}>
          Add files…
        </Button>
      </header>
      {view === 'uploads' && <Totals />}
      <div className="segmented" role="group" aria-label="Show">
        {filters.map((f) => (
          <button
            key={f.value}
            type="button"
            aria-pressed={view === 'uploads' && filter === f.value}
            className={view === 'uploads' && filter === f.value ? 'active' : undefined}
            onClick={() => useAppStore.setState({ filter: f.value, activityView: 'uploads' })}
          >
            {f.label}
          </button>
        ))}
        {(pluginsOn || pluginCount > 0) && (
          <button
            type="button"
            aria-pressed={view === 'plugins'}
            className={view === 'plugins' ? 'active' : undefined}
            onClick={() => useAppStore.setState({ activityView: 'plugins' })}
          >
            Plugins{pluginCount > 0 ? ` (${formatCount(pluginCount)})` : ''}
          </button>
        )}
      </div>
      {view === 'uploads' && (
        <div className="row activity-tools">
          <input
            type="search"
            className="job-search"
            aria-label="Search uploads"
            placeholder="Search uploads"
            value={query}
            maxLength={200}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
          <Button size="sm" variant="ghost" onClick={() => setClearedAt(Date.now())}>
            Clear finished
          </Button>
        </div>
      )}
      {view === 'plugins' && (
        <Suspense fallback={<LoadingState label="Loading plugin work…" />}>
          <LazyPluginList.Component />
        </Suspense>
      )}
      {view === 'uploads' && totals === null && <LoadingState label="Loading the queue…" />}
      {view === 'uploads' && totals !== null && ids.length === 0 && (
        <EmptyState
          icon={<Inbox size={22} />}
          title={filter === 'all' ? 'No uploads yet' : 'Nothing here'}
          action={
            filter === 'all' && !hasPairs ? (
              <Button
                variant="primary"
                icon={<FolderPlus size={16} aria-hidden />}
                onClick={pairAFolder}
              >
                Pair a folder
              </Button>
            ) : undefined
          }
        >
          {filter === 'all'
            ? 'Add a folder, or drop files, folders or links onto this window.'
            : 'No job matches this filter.'}
        </EmptyState>
      )}
      {view === 'uploads' && ids.length > 0 && (
        <FixedRowList
          count={ids.length}
          rowHeight={rowHeight}
          rowKey={rowKey}
          renderRow={renderRow}
          label="Uploads"
        />
      )}
    </section>
  )
}
