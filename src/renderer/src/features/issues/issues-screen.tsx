/**
 * Sync issues: every file that needs attention (cannot be read, failed, cancelled), per folder or
 * overall, with its reason in plain words, what happens next, the technical detail under
 * "Details", and one-click fixes (retry, show the file, open the folder); below them the files
 * skipped on purpose, each with its rule and "Upload anyway". The lists are the engine's.
 */
import { CircleCheck, FolderOpen, RotateCcw } from 'lucide-react'
import type { SyncIssue } from '../../../../shared/sync-status-models.ts'
import { useApi } from '../../api-context.tsx'
import { plural } from '../../lib/format.ts'
import { showToast, useAppStore } from '../../store/app-store.ts'
import { reloadIssues } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { Details } from '../../ui/details.tsx'
import { EmptyState } from '../../ui/states.tsx'
import { useAction } from '../../ui/use-action.ts'
import { IssueRowFrame, ShowFileButton, useReveal } from './issue-row-frame.tsx'
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
  const { where, reveal } = useReveal(issue.pairId, (error) =>
    showToast({ level: 'error', message: `Could not show it: ${String(error)}` }),
  )
  const [retry, retrying] = useAction(async () => {
    await api.invoke('issues:retry', { pairId: issue.pairId, relPath: issue.relPath })
    reloadIssues(api)
  }, `Could not retry ${issue.relPath}`)
  return (
    <IssueRowFrame
      kind={issue.kind}
      relPath={issue.relPath}
      name={issue.relPath.split('/').pop() ?? issue.relPath}
      chip={kindLabel[issue.kind]}
      chipClassName="chip-failed"
      place={`${issue.relPath} in ${folderName(issue.folder)} → ${issue.boardTitle ?? issue.board}`}
      headline={issue.headline}
      next={issue.next}
      where={where}
      actions={
        <>
          <Button
            size="sm"
            icon={<RotateCcw size={14} aria-hidden />}
            busy={retrying}
            onClick={() => void retry()}
            aria-label={`Retry ${issue.relPath}`}
          >
            Retry
          </Button>
          <ShowFileButton relPath={issue.relPath} onClick={() => void reveal(issue.relPath)} />
          <Button
            size="sm"
            variant="ghost"
            icon={<FolderOpen size={14} aria-hidden />}
            onClick={() => void reveal()}
            aria-label={`Open the folder of ${issue.relPath}`}
          >
            Open folder
          </Button>
        </>
      }
    >
      <Details>{issue.detail}</Details>
    </IssueRowFrame>
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
