/**
 * The human lines of `status --issues`: the files that need attention, then the files skipped on
 * purpose, each under its folder → board. Kept apart from the command so the words can be checked
 * without an engine; `--json` carries the same issues and skipped files as data.
 */
import { files } from '../../engine/status/overview.ts'
import type { SkippedFile, SyncIssue } from '../../shared/sync-status-models.ts'

/** What a listed file shares with its pair: where it is and which board it goes to. */
interface PairPlace {
  readonly folder: string
  readonly board: string
  readonly boardTitle: string | null
}

/** One line per row (from `line`), with a `folder → board` header each time the folder changes. */
function underFolders<Row extends PairPlace>(
  rows: readonly Row[],
  line: (row: Row) => string,
): string[] {
  const lines: string[] = []
  let folder = ''
  for (const row of rows) {
    if (row.folder !== folder) {
      folder = row.folder
      lines.push(`  ${row.folder} → ${row.boardTitle ?? row.board}`)
    }
    lines.push(line(row))
  }
  return lines
}

/** The lines `status --issues` prints for `issues` and `skipped` (the engine's order). */
export function issuesLines(
  issues: readonly SyncIssue[],
  skipped: readonly SkippedFile[],
): string[] {
  const lines = [
    issues.length === 0
      ? 'No sync issues: nothing needs your attention.'
      : `Sync issues: ${files(issues.length)} need${issues.length === 1 ? 's' : ''} attention`,
    ...underFolders(
      issues,
      (issue) => `    ${issue.relPath}: ${issue.headline} ${issue.next} (${issue.detail})`,
    ),
  ]
  if (issues.length > 0) lines.push('Retry them with "Sync now" in the app, or run sync again.')
  if (skipped.length > 0) {
    lines.push(
      `Skipped on purpose: ${files(skipped.length)}`,
      ...underFolders(
        skipped,
        (file) => `    ${file.relPath}${file.isFolder ? '/' : ''}: ${file.headline}`,
      ),
    )
    if (skipped.some((file) => file.canUploadAnyway))
      lines.push('Upload one anyway: playbook-sync upload-anyway <folder>/<file>')
  }
  return lines
}
