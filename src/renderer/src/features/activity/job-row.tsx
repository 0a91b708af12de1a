/** One job in the activity list: what, where, how far, how fast, and what you can do about it. */
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

function tone(job: JobSnapshot): 'active' | 'done' | 'failed' | 'paused' {
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

/** Props of `JobRow`. */
export interface JobRowProps {
  readonly id: string
}

/** Re-renders only when its own job changes (it selects that job alone from the store). */
export const JobRow = memo(function JobRow({ id }: JobRowProps) {
  const job = useAppStore((s) => s.jobs.byId.get(id))
  const boardToken = job?.board
  const boardTitle = useAppStore(
    (s) => s.boards?.find((b) => b.token === boardToken)?.title ?? boardToken ?? '',
  )
  const api = useApi()
  const connection = useConnection()
  if (!job) return null
  const act = (action: () => Promise<unknown>, failure: string) => () =>
    void action().catch((e: unknown) =>
      showToast({ level: 'error', message: `${failure}: ${errorMessage(e)}` }),
    )
  const label = stateLabel(job)
  const done = job.state.kind === 'done'
  const failed = job.state.kind === 'failed'
  const running = !finished.has(job.state.kind)
  const detail = jobDetail(job)
  return (
    <div
      className={`job-row job-${tone(job)}`}
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
        <div className="job-line">
          <span className="job-title" title={job.relPath ?? job.title}>
            {job.title}
          </span>
          {job.versionOf !== undefined && (
            <span className="chip chip-version" title="A new version of the same asset">
              {job.version === undefined ? 'new version' : `v${job.version}`}
            </span>
          )}
          <span className={`chip chip-${tone(job)}`}>{label}</span>
        </div>
        {running && job.source.kind === 'file' && (
          <ProgressBar
            value={job.bytesDone}
            {...(job.sentBytes === undefined ? {} : { sent: job.sentBytes })}
            max={job.bytesTotal}
            label={`${job.title} progress`}
            tone={tone(job)}
          />
        )}
        <div className={`job-detail${failed ? ' field-error' : ''}`} title={detail}>
          <span className="job-board">
            to{' '}
            <button
              type="button"
              className="link"
              aria-label={`Open ${boardTitle} in Playbook`}
              onClick={act(async () => {
                const url = await api.invoke('boards:web-url', { board: job.board })
                if (url) await connection.openExternal(url)
              }, 'Could not open the board')}
            >
              {boardTitle}
            </button>
          </span>
          {' · '}
          {detail}
          {job.state.kind === 'failed' && <Details>{job.state.reason}</Details>}
          {running && job.retryAt !== undefined && <RetryCountdown job={job} />}
        </div>
      </div>
      <div className="job-actions">
        {running && job.paused && (
          <IconButton
            label={`Resume ${job.title}`}
            icon={playIcon}
            onClick={act(() => api.invoke('jobs:resume', { id }), 'Could not resume')}
          />
        )}
        {running && !job.paused && (
          <IconButton
            label={`Pause ${job.title}`}
            icon={pauseIcon}
            onClick={act(() => api.invoke('jobs:pause', { id }), 'Could not pause')}
          />
        )}
        {failed && (
          <IconButton
            label={`Retry ${job.title}`}
            icon={retryIcon}
            onClick={act(() => api.invoke('jobs:retry', { id }), 'Could not retry')}
          />
        )}
        {running && (
          <IconButton
            label={`Cancel ${job.title}`}
            icon={cancelIcon}
            onClick={act(() => api.invoke('jobs:cancel', { id }), 'Could not cancel')}
          />
        )}
        {done && (
          <IconButton
            label={`Open ${job.title} in Playbook`}
            icon={openIcon}
            onClick={act(async () => {
              const url = await api.invoke('jobs:web-url', { id })
              if (url) await connection.openExternal(url)
            }, 'Could not open')}
          />
        )}
      </div>
    </div>
  )
})
