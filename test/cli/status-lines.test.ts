import { describe, expect, it } from 'vitest'
import { issuesLines } from '../../src/cli/output/status-lines.ts'
import type { SkippedFile, SyncIssue } from '../../src/shared/sync-status-models.ts'

// The words `status --issues` prints, pinned line for line (the CLI tests check them end to end).

function issue(
  folder: string,
  relPath: string,
  boardTitle: string | null = 'Moodboard',
): SyncIssue {
  return {
    pairId: `p-${folder}`,
    folder,
    board: 'b-token',
    boardTitle,
    relPath,
    kind: 'unreadable',
    headline: "Playbook Sync isn't allowed to read this file.",
    next: 'Check its permissions, then retry.',
    detail: 'EACCES',
    fixes: ['retry', 'show-file', 'open-folder'],
    jobId: null,
    updatedAt: 0,
  }
}

function skippedFile(
  folder: string,
  relPath: string,
  extra: Partial<SkippedFile> = {},
): SkippedFile {
  return {
    pairId: `p-${folder}`,
    folder,
    board: 'b-token',
    boardTitle: null,
    relPath,
    kind: 'ignored',
    isFolder: false,
    headline: 'Ignored by the rule “*.tmp”, one of this folder’s ignore patterns.',
    next: 'It stays on this computer.',
    canUploadAnyway: true,
    updatedAt: 0,
    ...extra,
  }
}

describe('status --issues lines', () => {
  it('says so when nothing needs attention and nothing was skipped', () => {
    expect(issuesLines([], [])).toEqual(['No sync issues: nothing needs your attention.'])
  })

  it('lists issues under their folder and board, one header per folder', () => {
    expect(
      issuesLines(
        [issue('/w/a', 'x.png'), issue('/w/a', 'y.png'), issue('/w/b', 'z.png', null)],
        [],
      ),
    ).toEqual([
      'Sync issues: 3 files need attention',
      '  /w/a → Moodboard',
      "    x.png: Playbook Sync isn't allowed to read this file. Check its permissions, then retry. (EACCES)",
      "    y.png: Playbook Sync isn't allowed to read this file. Check its permissions, then retry. (EACCES)",
      '  /w/b → b-token',
      "    z.png: Playbook Sync isn't allowed to read this file. Check its permissions, then retry. (EACCES)",
      'Retry them with "Sync now" in the app, or run sync again.',
    ])
  })

  it('lists skipped files after the issues, with the upload-anyway hint only when one can be', () => {
    expect(
      issuesLines(
        [issue('/w/a', 'x.png')],
        [skippedFile('/w/a', 'render.tmp'), skippedFile('/w/b', 'cache', { isFolder: true })],
      ),
    ).toEqual([
      'Sync issues: 1 file needs attention',
      '  /w/a → Moodboard',
      "    x.png: Playbook Sync isn't allowed to read this file. Check its permissions, then retry. (EACCES)",
      'Retry them with "Sync now" in the app, or run sync again.',
      'Skipped on purpose: 2 files',
      '  /w/a → b-token',
      '    render.tmp: Ignored by the rule “*.tmp”, one of this folder’s ignore patterns.',
      '  /w/b → b-token',
      '    cache/: Ignored by the rule “*.tmp”, one of this folder’s ignore patterns.',
      'Upload one anyway: playbook-sync upload-anyway <folder>/<file>',
    ])
    expect(
      issuesLines([], [skippedFile('/w/b', 'cache', { isFolder: true, canUploadAnyway: false })]),
    ).toEqual([
      'No sync issues: nothing needs your attention.',
      'Skipped on purpose: 1 file',
      '  /w/b → b-token',
      '    cache/: Ignored by the rule “*.tmp”, one of this folder’s ignore patterns.',
    ])
  })

  it('writes large counts with separators', () => {
    const many = Array.from({ length: 1234 }, (_, i) => issue('/w/a', `f${i}.png`))
    const skipped = Array.from({ length: 2001 }, (_, i) => skippedFile('/w/a', `s${i}.tmp`))
    const lines = issuesLines(many, skipped)
    expect(lines[0]).toBe('Sync issues: 1,234 files need attention')
    expect(lines).toContain('Skipped on purpose: 2,001 files')
  })
})
