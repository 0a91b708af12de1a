/**
 * What a row of Sync issues and a row of "Skipped on purpose" share: the file's name and what
 * kind of row it is, where it is, the reason and what happens next in the engine's words, where
 * "Show file" found it when the file manager could not open; the actions, and "Show file" itself.
 */
import { useState, type ReactNode } from 'react'
import { Search } from 'lucide-react'
import { useApi } from '../../api-context.tsx'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'

/** Props of `IssueRowFrame`. */
export interface IssueRowFrameProps {
  /** The row's kind (data-kind, for styles and tests). */
  readonly kind: string
  readonly relPath: string
  /** The name shown in bold (the last part of the path). */
  readonly name: string
  readonly chip: string
  readonly chipClassName?: string
  /** The line under the name: where the file is. */
  readonly place: ReactNode
  readonly headline: string
  readonly next: string
  /** Where the file is when "Show file" could not open the file manager (or why it failed). */
  readonly where: string | null
  /** More under the reason (the technical "Details"). */
  readonly children?: ReactNode
  readonly actions: ReactNode
}

/** One row of either list. */
export function IssueRowFrame(props: IssueRowFrameProps) {
  return (
    <li
      className="issue-row"
      data-kind={props.kind}
      aria-label={`${props.relPath}: ${props.headline}`}
    >
      <div className="issue-main">
        <div className="job-line">
          <span className="job-title" title={props.relPath}>
            {props.name}
          </span>
          <span className={props.chipClassName ? `chip ${props.chipClassName}` : 'chip'}>
            {props.chip}
          </span>
        </div>
        <p className="muted small path">{props.place}</p>
        <p className="issue-headline">{props.headline}</p>
        <p className="muted small">{props.next}</p>
        {props.children}
        {props.where && (
          <p className="small">
            It is here: <code>{props.where}</code>
          </p>
        )}
      </div>
      <div className="issue-actions">{props.actions}</div>
    </li>
  )
}

/**
 * Shows a pair's file (or, with no path, its folder) in the file manager. When the host cannot
 * open one, `where` says where it is; a failure goes to `onError`, or into `where` without one.
 */
export function useReveal(
  pairId: string,
  onError?: (error: unknown) => void,
): { readonly where: string | null; readonly reveal: (relPath?: string) => Promise<void> } {
  const api = useApi()
  const [where, setWhere] = useState<string | null>(null)
  const reveal = async (relPath?: string): Promise<void> => {
    try {
      const shown = await api.invoke('issues:reveal', {
        pairId,
        ...(relPath === undefined ? {} : { relPath }),
      })
      setWhere(shown.opened ? null : shown.path)
    } catch (error) {
      if (onError) onError(error)
      else setWhere(`Could not show it: ${errorMessage(error)}`)
    }
  }
  return { where, reveal }
}

/** "Show file" for a row. */
export function ShowFileButton({
  relPath,
  onClick,
}: {
  readonly relPath: string
  readonly onClick: () => void
}) {
  return (
    <Button
      size="sm"
      variant="ghost"
      icon={<Search size={14} aria-hidden />}
      onClick={onClick}
      aria-label={`Show ${relPath} in the file manager`}
    >
      Show file
    </Button>
  )
}
