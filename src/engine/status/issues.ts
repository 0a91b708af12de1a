/**
 * Sync issues: every file of a pair that needs the user (cannot be read, upload failed, upload
 * cancelled) with its reason in plain words, what happens next, the technical detail and the
 * fixes the UI and CLI offer. Built from the sync index only, so every front end lists the same.
 */
import { describeFailure } from '../../shared/plain-words.ts'
import type { PlainMessage } from '../../shared/plain-words.ts'
import type { IssueFix, IssueKind, SyncIssue } from '../../shared/sync-status-models.ts'
import type { FileRow, PairRow } from '../sync/sync-store.ts'
import { pairPlaceOf } from './pair-place.ts'

const READ_CODES: Readonly<Record<string, PlainMessage>> = {
  EACCES: {
    headline: "Playbook Sync isn't allowed to read this file.",
    next: 'Check its permissions, then retry.',
    detail: 'EACCES',
  },
  EPERM: {
    headline: "Playbook Sync isn't allowed to read this file.",
    next: 'Check its permissions (or unlock it), then retry.',
    detail: 'EPERM',
  },
  EBUSY: {
    headline: 'Another app has this file locked.',
    next: 'Close the other app, then retry.',
    detail: 'EBUSY',
  },
}

/** Plain words for a file that could not be read, by error code. */
function unreadableWords(code: string): PlainMessage {
  const known = READ_CODES[code]
  if (known) return known
  const described = describeFailure(code)
  return described.headline.startsWith('Something went wrong')
    ? {
        headline: "Playbook Sync couldn't read this file.",
        next: 'Check that it opens on this computer, then retry.',
        detail: code,
      }
    : described
}

/** The issue kind a stored state means, or undefined when the file needs nothing. */
export function issueKindOf(state: FileRow['state']): IssueKind | undefined {
  switch (state) {
    case 'unreadable':
    case 'failed':
    case 'cancelled':
      return state
    case 'pending':
    case 'synced':
    case 'skipped':
      return undefined
  }
}

/** One row as a Sync issue (undefined when the row needs nothing). */
export function issueOf(pair: PairRow, row: FileRow): SyncIssue | undefined {
  const kind = issueKindOf(row.state)
  if (kind === undefined || row.deletedAt !== null) return undefined
  const words =
    kind === 'unreadable'
      ? unreadableWords(row.reason ?? 'unknown')
      : kind === 'cancelled'
        ? {
            headline: 'You cancelled this upload.',
            next: 'Retry to upload it after all.',
            detail: row.reason ?? 'cancelled',
          }
        : describeFailure(row.reason ?? 'unknown error')
  const fixes: IssueFix[] = ['retry', 'show-file', 'open-folder']
  return {
    ...pairPlaceOf(pair),
    relPath: row.relPath,
    kind,
    headline: words.headline,
    next: words.next,
    detail: words.detail,
    fixes,
    jobId: row.jobId,
    updatedAt: row.updatedAt,
  }
}
