/**
 * One job in the activity list: what, where, how far, how fast, and what you can do about it.
 * Split into parts that each take only the plain values they show, so a progress tick (10,000 of
 * them in one event) re-renders a row's bar and detail line and skips its title, board link and
 * buttons.
 */
import { memo } from 'react'
import { ExternalLink, Pause, Play, RotateCcw, X } from 'lucide-react'
import type { JobSnapshot } from '../../../../shared/job-models.ts'
import { useApi, useConnection } from '../../api-context.tsx'
import { jobDetail } from '../../lib/job-detail.ts'
import { stateLabel } from '../../lib/job-list.ts'
import { describeWait } from '../../../../shared/plain-words.ts'
import { Details } from '../../ui/details.tsx'
import { useNow } from '../../ui/use-now.ts'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { IconButton } from '../../ui/button.tsx'
import { ProgressBar } from '../../ui/progress-bar.tsx'
import { Thumbnail } from './thumbnail.tsx'

const finished = new Set(['done', 'failed', 'cancelled'])

// Made once: the same element every render, so a progress tick does not rebuild the icons.
const playIcon = <Play size={15} />
const pauseIcon = <Pause size={15} />
const retryIcon = <RotateCcw size={15} />
const cancelIcon = <X size={15} />
const openIcon = <ExternalLink size={15} />

type Tone = 'active' | 'done' | 'failed' | 'paused'

function tone(job: JobSnapshot): Tone {
  if (job.state.kind === 'done') return 'done'
  if (job.state.kind === 'failed' || job.state.kind === 'cancelled') return 'failed'
  return job.paused ? 'paused' : 'active'
}

/** A job backing off after a busy answer: the countdown in words, refreshed every second. */
function RetryCountdown({ job }: { readonly job: JobSnapshot }) {
  const now = useNow(1000)
  if (job.retryAt === undefined || job.retryAt <= now) return null
  const words = describeWait({ kind: 'busy', until: job.retryAt, detail: job.lastError ?? '' }, now)
  return (
    <span className="job-wait">
      {' · '}
      {words.headline}
      {words.detail && <Details>{words.detail}</Details>}
    </span>
  )
}

/** Reports a failed action as a toast. */
function act(action: () => Promise<unknown>, failure: string): () => void {
  return () =>
    void action().catch((e: unknown) =>
      showToast({ level: 'error', message: `${failure}: ${errorMessage(e)}` }),
    )
}

/** The name, the version chip and the state chip. */
const JobLine = memo(function JobLine({
  title,
  path,
  version,
  label,
  tone,
}: {
  readonly title: string
  readonly path: string
  /** null: not a new version of an asset; undefined: a new version whose number is not known yet. */
  readonly version: number | null | undefined
  readonly label: string
  readonly tone: Tone
}) {
  return (
    <div className="job-line">
      <span className="job-title" title={path}>
        {title}
      </span>
      {version !== null && (
        <span className="chip chip-version" title="A new version of the same asset">
          {version === undefined ? 'new version' : `v${version}`}
        </span>
      )}
      <span className={`chip chip-${tone}`}>{label}</span>
    </div>
  )
})

/** "to <board>", a link that opens the board in Playbook. */
const BoardLink = memo(function BoardLink({ board }: { readonly board: string }) {
  const title = useAppStore((s) => s.boards?.find((b) => b.token === board)?.title ?? board)
  const api = useApi()
  const connection = useConnection()
  return (
    <span className="job-board">
      to{' '}
      <button
        type="button"
        className="link"
        aria-label={`Open ${title} in Playbook`}
        onClick={act(async () => {
          const url = await api.invoke('boards:web-url', { board })
          if (url) await connection.openExternal(url)
        }, 'Could not open the board')}
      >
        {title}
      </button>
    </span>
  )
})

/** What can be done about the job: pause or resume, retry, cancel, open. */
const JobActions = memo(function JobActions({
  id,
  title,
  running,
  paused,
  failed,
  done,
}: {
  readonly id: string
  readonly title: string
  readonly running: boolean
  readonly paused: boolean
  readonly failed: boolean
  readonly done: boolean
}) {
  const api = useApi()
  const connection = useConnection()
  return (
    <div className="job-actions">
      {running && paused && (
        <IconButton
          label={`Resume ${title}`}
          icon={playIcon}
          onClick={act(() => api.invoke('jobs:resume', { id }), 'Could not resume')}
        />
      )}
      {running && !paused && (
        <IconButton
          label={`Pause ${title}`}
          icon={pauseIcon}
          onClick={act(() => api.invoke('jobs:pause', { id }), 'Could not pause')}
        />
      )}
      {failed && (
        <IconButton
          label={`Retry ${title}`}
          icon={retryIcon}
          onClick={act(() => api.invoke('jobs:retry', { id }), 'Could not retry')}
        />
      )}
      {running && (
        <IconButton
          label={`Cancel ${title}`}
          icon={cancelIcon}
          onClick={act(() => api.invoke('jobs:cancel', { id }), 'Could not cancel')}
        />
      )}
      {done && (
        <IconButton
          label={`Open ${title} in Playbook`}
          icon={openIcon}
          onClick={act(async () => {
            const url = await api.invoke('jobs:web-url', { id })
            if (url) await connection.openExternal(url)
          }, 'Could not open')}
        />
      )}
    </div>
  )
})

/** Props of `JobRow`. */
export interface JobRowProps {
  readonly id: string
}

/** Re-renders only when its own job changes (it selects that job alone from the store). */
export const JobRow = memo(function JobRow({ id }: JobRowProps) {
  const job = useAppStore((s) => s.jobs.byId.get(id))
  if (!job) return null
  const label = stateLabel(job)
  const rowTone = tone(job)
  const failed = job.state.kind === 'failed'
  const running = !finished.has(job.state.kind)
  const detail = jobDetail(job)
  return (
    <div
      className={`job-row job-${rowTone}`}
      data-state={job.state.kind}
      aria-label={`${job.title}: ${label}`}
      role="listitem"
    >
      <Thumbnail
        id={job.id}
        source={job.source.kind}
        path={job.source.kind === 'file' ? job.source.path : ''}
        done={job.state.kind === 'done'}
      />
      <div className="job-main">
        <JobLine
          title={job.title}
          path={job.relPath ?? job.title}
          version={job.versionOf === undefined ? null : job.version}
          label={label}
          tone={rowTone}
        />
        {running && job.source.kind === 'file' && (
          <ProgressBar
            value={job.bytesDone}
            {...(job.sentBytes === undefined ? {} : { sent: job.sentBytes })}
            max={job.bytesTotal}
            label={`${job.title} progress`}
            tone={rowTone}
          />
        )}
        <div className={`job-detail${failed ? ' field-error' : ''}`} title={detail}>
          <BoardLink board={job.board} />
          {' · '}
          {detail}
          {job.state.kind === 'failed' && <Details>{job.state.reason}</Details>}
          {running && job.retryAt !== undefined && <RetryCountdown job={job} />}
        </div>
      </div>
      <JobActions
        id={id}
        title={job.title}
        running={running}
        paused={job.paused}
        failed={failed}
        done={job.state.kind === 'done'}
      />
    </div>
  )
})
