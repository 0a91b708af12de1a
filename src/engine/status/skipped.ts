/**
 * Skipped on purpose: every file of a pair the engine leaves off the board by design, each with
 * its reason in plain words: the ignore rule that matched (the pattern and where it comes from),
 * "same content as" the file whose upload stands for it, or a change the pair does not upload.
 * Built from the index only, so the app and `status --issues` list the same files and reasons.
 */
import type { IgnoreSourceName, SkippedFile } from '../../shared/sync-status-models.ts'
import type { IgnoredRow, SameContentRow } from '../sync/ignored-store.ts'
import type { IgnoreReason } from '../sync/ignore-rules.ts'
import type { PairRow } from '../sync/sync-store.ts'
import { pairPlaceOf } from './pair-place.ts'

const sourceOf: Readonly<Record<IgnoreReason, IgnoreSourceName>> = {
  junk: 'built-in',
  hidden: 'hidden',
  symlink: 'symlink',
  special: 'special',
  pattern: 'pair-pattern',
  'shared-pattern': 'shared-pattern',
  playbookignore: 'playbookignore',
}

/** The ignore file a `.playbookignore` rule lives in, relative to the pair's folder. */
function ignoreFileOf(where: string | null): string {
  return where ? `${where}/.playbookignore` : '.playbookignore'
}

/** Plain words for an ignore rule. */
export function ignoredWords(row: IgnoredRow): { headline: string; next: string } {
  const rule = row.pattern === null ? '' : `“${row.pattern}”`
  const what = row.isFolder ? 'This folder' : 'This file'
  let headline: string
  switch (row.reason) {
    case 'junk':
      headline = `Ignored by the rule ${rule} on the built-in list of junk files (system, temporary and lock files).`
      break
    case 'hidden':
      headline = `${what} is hidden (its name starts with a dot), and this folder does not sync hidden files.`
      break
    case 'symlink':
      headline = 'This is a shortcut (a symbolic link); links are never followed.'
      break
    case 'special':
      headline = row.relPath.endsWith('.playbookignore')
        ? "This is the folder's ignore file: it is read, never uploaded."
        : 'This is not a regular file (a socket, device or pipe).'
      break
    case 'pattern':
      headline = `Ignored by the rule ${rule}, one of this folder's ignore patterns.`
      break
    case 'shared-pattern':
      headline = `Ignored by the rule ${rule}, one of the ignore patterns in Settings (every folder).`
      break
    case 'playbookignore':
      headline = `Ignored by the rule ${rule} in ${ignoreFileOf(row.where)}.`
      break
  }
  const next = !canUpload(row)
    ? row.isFolder
      ? 'Nothing inside it is uploaded. Change the rule to sync it.'
      : 'It stays on this computer.'
    : 'It stays on this computer. Upload anyway to put it on the board once.'
  return { headline, next }
}

/** "Upload anyway" is offered for regular files only (not folders, links or special files). */
function canUpload(row: IgnoredRow): boolean {
  return !row.isFolder && row.reason !== 'symlink' && row.reason !== 'special'
}

/**
 * A pair's skipped files: ignored entries (minus those uploaded anyway, which have a live row),
 * files with the same content as another, and changes the pair skips; sorted by path.
 */
export function skippedOf(
  pair: PairRow,
  input: {
    readonly ignored: readonly IgnoredRow[]
    readonly sameContent: readonly SameContentRow[]
    /** Live rows in state `skipped` (changed while the pair skips changes). */
    readonly changed: readonly { readonly relPath: string; readonly updatedAt: number }[]
    /** True when the path has a live row (the file was uploaded anyway, or is on its way). */
    readonly tracked: (relPath: string) => boolean
  },
): SkippedFile[] {
  const base = pairPlaceOf(pair)
  const out: SkippedFile[] = []
  for (const row of input.ignored) {
    if (!row.isFolder && input.tracked(row.relPath)) continue
    const words = ignoredWords(row)
    out.push({
      ...base,
      relPath: row.relPath,
      kind: 'ignored',
      isFolder: row.isFolder,
      rule: {
        pattern: row.pattern,
        source: sourceOf[row.reason],
        ...(row.reason === 'playbookignore' ? { file: ignoreFileOf(row.where) } : {}),
      },
      headline: words.headline,
      next: words.next,
      canUploadAnyway: canUpload(row),
      updatedAt: row.updatedAt,
    })
  }
  for (const row of input.sameContent) {
    out.push({
      ...base,
      relPath: row.relPath,
      kind: 'same-content',
      isFolder: false,
      sameAs: row.sameAs,
      headline: `Same content as ${row.sameAs}, which is on the board.`,
      next: 'One asset on the board stands for both. Upload anyway to give this file its own.',
      canUploadAnyway: true,
      updatedAt: row.updatedAt,
    })
  }
  for (const row of input.changed) {
    out.push({
      ...base,
      relPath: row.relPath,
      kind: 'changed',
      isFolder: false,
      headline: 'Changed after it was uploaded, and this folder keeps the first version.',
      next: 'Upload anyway to put this version on the board too.',
      canUploadAnyway: true,
      updatedAt: row.updatedAt,
    })
  }
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))
}
