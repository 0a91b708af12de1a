/**
 * Sync issues: every file that needs attention (cannot be read, failed, cancelled), per folder or
 * overall, with its reason in plain words, what happens next, the technical detail under
 * "Details", and one-click fixes (retry, show the file, open the folder); below them the files
 * skipped on purpose, each with its rule and "Upload anyway". The lists are the engine's.
 */
import { useState } from 'react'
import { CircleCheck, FolderOpen, RotateCcw, Search } from 'lucide-react'
import type { SyncIssue } from '../../../../shared/sync-status-models.ts'
import { useApi } from '../../api-context.tsx'
import { plural } from '../../lib/format.ts'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { reloadIssues } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { Details } from '../../ui/details.tsx'
import { EmptyState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { SkippedList } from './skipped-list.tsx'

const kindLabel: Readonly<Record<SyncIssue['kind'], string>> = {
  unreadable: "Can't read",
  failed: 'Failed',
  cancelled: 'Cancelled',
}

function folderName(folder: string): string {
  return folder.split(/[/\\]/).filter(Boolean).pop() ?? folder
}

function IssueRow({ issue }: { readonly issue: SyncIssue }) {
  const api = useApi()
  const [where, setWhere] = useState<string | null>(null)
  const [retry, retrying] = useAction(async () => {
    await api.invoke('issues:retry', { pairId: issue.pairId, relPath: issue.relPath })
    reloadIssues(api)
  }, `Could not retry ${issue.relPath}`)
  const reveal = async (file: boolean): Promise<void> => {
    try {
      const shown = await api.invoke('issues:reveal', {
        pairId: issue.pairId,
        ...(file ? { relPath: issue.relPath } : {}),
      })
      setWhere(shown.opened ? null : shown.path)
    } catch (error) {
      showToast({ level: 'error', message: `Could not show it: ${String(error)}` })
    }
  }
  const name = issue.relPath.split('/').pop() ?? issue.relPath
  return (
    <li
      className="issue-row"
      data-kind={issue.kind}
      aria-label={`${issue.relPath}: ${issue.headline}`}
    >
      <div className="issue-main">
        <div className="job-line">
          <span className="job-title" title={issue.relPath}>
            {name}
          </span>
          <span className="chip chip-failed">{kindLabel[issue.kind]}</span>
        </div>
        <p className="muted small path">
          {issue.relPath} in {folderName(issue.folder)} → {issue.boardTitle ?? issue.board}
        </p>
        <p className="issue-headline">{issue.headline}</p>
        <p className="muted small">{issue.next}</p>
        <Details>{issue.detail}</Details>
        {where && (
          <p className="small">
            It is here: <code>{where}</code>
          </p>
        )}
      </div>
      <div className="issue-actions">
        <Button
          size="sm"
          icon={<RotateCcw size={14} aria-hidden />}
          busy={retrying}
          onClick={() => void retry()}
          aria-label={`Retry ${issue.relPath}`}
        >
          Retry
        </Button>
        <Button
          size="sm"
          variant="ghost"
          icon={<Search size={14} aria-hidden />}
          onClick={() => void reveal(true)}
          aria-label={`Show ${issue.relPath} in the file manager`}
        >
          Show file
        </Button>
        <Button
          size="sm"
          variant="ghost"
          icon={<FolderOpen size={14} aria-hidden />}
          onClick={() => void reveal(false)}
          aria-label={`Open the folder of ${issue.relPath}`}
        >
          Open folder
        </Button>
      </div>
    </li>
  )
}

/** The Sync issues screen (one folder's, or every folder's). */
export function IssuesScreen() {
  const api = useApi()
  const issues = useAppStore((s) => s.issues)
  const pairs = useAppStore((s) => s.pairs)
  const pairId = useAppStore((s) => s.issuesPair)
  const shown = pairId === null ? issues : issues.filter((i) => i.pairId === pairId)
  const [retryAll, retryingAll] = useAction(async () => {
    await api.invoke('issues:retry', pairId === null ? {} : { pairId })
    reloadIssues(api)
  }, 'Could not retry')
  return (
    <section className="screen" aria-labelledby="issues-title">
      <header className="screen-header">
        <div>
          <h1 id="issues-title">Sync issues</h1>
          <p className="muted small">
            {shown.length > 0
              ? `${plural(shown.length, 'file')} need${shown.length === 1 ? 's' : ''} your attention. Everything else is on its way or on the board.`
              : 'Files that cannot be uploaded show up here, with what to do about them.'}
          </p>
        </div>
        {shown.length > 0 && (
          <Button
            variant="primary"
            icon={<RotateCcw size={16} aria-hidden />}
            busy={retryingAll}
            onClick={() => void retryAll()}
          >
            Retry all
          </Button>
        )}
      </header>
      {pairs.length > 1 && (
        <div className="issues-filter">
          <label htmlFor="issues-folder" className="small">
            Folder
          </label>
          <select
            id="issues-folder"
            value={pairId ?? ''}
            onChange={(e) => useAppStore.setState({ issuesPair: e.target.value || null })}
          >
            <option value="">All folders</option>
            {pairs.map((p) => (
              <option key={p.id} value={p.id}>
                {folderName(p.folder)} → {p.boardTitle ?? p.board}
              </option>
            ))}
          </select>
        </div>
      )}
      {shown.length === 0 ? (
        <EmptyState icon={<CircleCheck size={22} />} title="No sync issues">
          Every file is on its board, on its way, or skipped on purpose.
        </EmptyState>
      ) : (
        <ul className="issue-list" aria-label="Files that need attention">
          {shown.map((issue) => (
            <IssueRow key={`${issue.pairId}/${issue.relPath}`} issue={issue} />
          ))}
        </ul>
      )}
      <SkippedList pairs={pairs} pairId={pairId} />
    </section>
  )
}
