/**
 * Where every file of every pair stands, and the one overall status every front end shows (the
 * sidebar, the folder cards, the tray and the CLI read these, so they cannot disagree). Owned by
 * the engine (src/engine/status); front ends only read these snapshots.
 */
import type { WaitCause } from './plain-words.ts'

/** Why a file needs the user: it cannot be read, its upload failed, or it was cancelled. */
export type IssueKind = 'unreadable' | 'failed' | 'cancelled'

/** A one-click fix the Sync issues view offers for a file. */
export type IssueFix = 'retry' | 'show-file' | 'open-folder'

/** One file that needs attention, with its reason in plain words. */
export interface SyncIssue {
  readonly pairId: string
  readonly folder: string
  readonly board: string
  readonly boardTitle: string | null
  readonly relPath: string
  readonly kind: IssueKind
  /** What happened, in plain words. */
  readonly headline: string
  /** What happens next or what to do. */
  readonly next: string
  /** The technical reason (error code, server message) for "Details". */
  readonly detail: string
  readonly fixes: readonly IssueFix[]
  readonly jobId: string | null
  readonly updatedAt: number
}

/**
 * Where one file stands. `on-board`: uploaded (with its asset); `same-content`: skipped on purpose
 * because another file of the pair has the same bytes (named in `as`); `uploading`/`waiting`:
 * on its way (and why it waits); `skipped`: on purpose (changed while the pair skips changes);
 * `attention`: needs the user (see `SyncIssue`).
 */
export type FileStatus =
  | { readonly kind: 'on-board'; readonly assetToken: string }
  | { readonly kind: 'same-content'; readonly as: string; readonly assetToken: string | null }
  | { readonly kind: 'uploading'; readonly jobId: string }
  | { readonly kind: 'waiting'; readonly cause: WaitCause }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'attention'; readonly issue: IssueKind; readonly reason: string }

/** Files of one pair (or all pairs) by where they stand: the one source for every count. */
export interface FileTally {
  /** Files whose bytes are on the board as their own asset. */
  readonly onBoard: number
  /** Files skipped because another file of the pair has the same bytes (one asset for all). */
  readonly sameContent: number
  readonly uploading: number
  readonly waiting: number
  /** Skipped on purpose: ignored by a rule, or changed while the pair skips changes. */
  readonly skipped: number
  readonly attention: number
}

/**
 * The overall state, in one place: what the sidebar, folder cards, tray and CLI headline say.
 * `up-to-date` only when every file is on the board or skipped on purpose.
 */
export type OverallKind =
  'no-folders' | 'up-to-date' | 'syncing' | 'waiting' | 'attention' | 'paused' | 'signed-out'

/** The engine-owned status the whole app shows. */
export interface SyncOverview {
  readonly kind: OverallKind
  /** A short sentence: "Up to date", "Syncing 4 of 2,000 files", "Can't reach Playbook. Retrying in 20 s." */
  readonly headline: string
  /** Set while waiting: why, and until when (the renderer counts down from it). */
  readonly wait?: WaitCause
  readonly tally: FileTally
  readonly issues: number
}

/**
 * Why a file is skipped on purpose: `ignored` by a rule (named in `rule`), `same-content` as
 * another file of the pair (named in `sameAs`; one asset stands for both), or `changed` after it
 * was uploaded while the pair skips changed files.
 */
export type SkipKind = 'ignored' | 'same-content' | 'changed'

/** Where an ignore rule comes from. */
export type IgnoreSourceName =
  | 'built-in'
  | 'hidden'
  | 'symlink'
  | 'special'
  | 'pair-pattern'
  /** A pattern in the app's settings that every folder applies. */
  | 'shared-pattern'
  | 'playbookignore'

/** One file (or ignored folder) skipped on purpose, with its reason in plain words. */
export interface SkippedFile {
  readonly pairId: string
  readonly folder: string
  readonly board: string
  readonly boardTitle: string | null
  readonly relPath: string
  readonly kind: SkipKind
  /** True for an ignored folder (nothing inside it is looked at). */
  readonly isFolder: boolean
  /** For `ignored`: the pattern that matched (null for hidden files, links, special files). */
  readonly rule?: {
    readonly pattern: string | null
    readonly source: IgnoreSourceName
    /** For `playbookignore`: the ignore file holding the rule, relative to the pair's folder. */
    readonly file?: string
  }
  /** For `same-content`: the file of the pair whose upload stands for this one. */
  readonly sameAs?: string
  /** What happened, in plain words. */
  readonly headline: string
  /** What happens next, or what the user can do. */
  readonly next: string
  /** "Upload anyway" is offered (a regular file); after it lands the file is on the board. */
  readonly canUploadAnyway: boolean
  readonly updatedAt: number
}
