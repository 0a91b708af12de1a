/**
 * What a change on disk means for the board, as pure functions: new → upload; changed bytes → a
 * new version of the file's asset (the default), a new asset, or nothing (setting); same bytes →
 * nothing; renamed or moved → the path is updated (and the asset re-titled or moved, see
 * asset-edits.ts); deleted → nothing is ever deleted on Playbook. Also builds the queue request
 * and its dedupe key.
 */
import { basename } from 'node:path'
import { Priority } from '../transfer/types.ts'
import type { UploadRequest } from '../transfer/types.ts'
import type { PairSettings } from '../../shared/pair-models.ts'
import { sameFacts } from './file-facts.ts'
import type { FileFacts } from './file-facts.ts'
import type { FileRow } from './sync-store.ts'

/** The outcome for one present file. */
export type ChangeDecision =
  /** Known file, same size, mtime and inode: nothing to do (and no need to read it). */
  | { readonly kind: 'unchanged' }
  /** Same bytes with new facts (touched, copied over with the same content): record the facts. */
  | { readonly kind: 'touched' }
  /** The bytes are new to this path: upload (as a new version of `versionOf` when set). */
  | {
      readonly kind: 'upload'
      readonly reason: 'new' | 'changed'
      readonly versionOf?: string
    }
  /** Changed bytes, but the pair skips changes: record the new hash, upload nothing. */
  | { readonly kind: 'skip-change' }
  /** The file was renamed or moved inside the pair: move its row, upload nothing. */
  | { readonly kind: 'moved'; readonly from: FileRow }
  /** A deleted file came back with the same bytes: revive its row. */
  | { readonly kind: 'restored' }

/** True when a live row's facts match the file, so it need not be read. */
export function isUnchanged(row: FileRow | undefined, facts: FileFacts): boolean {
  return row !== undefined && row.deletedAt === null && sameFacts(row, facts)
}

/**
 * A row this new path was renamed from, found without reading the file: same inode, size and
 * mtime (a rename keeps all three) and its own path gone.
 */
export function renameByInode(
  candidates: readonly FileRow[],
  facts: FileFacts,
  isGone: (row: FileRow) => boolean,
): FileRow | undefined {
  return candidates.find((row) => sameFacts(row, facts) && isGone(row))
}

/** A row this path was renamed from, found by content: same sha256 and its own path gone. */
export function renameByContent(
  candidates: readonly FileRow[],
  sha256: string,
  isGone: (row: FileRow) => boolean,
): FileRow | undefined {
  return candidates.find((row) => row.sha256 === sha256 && isGone(row))
}

/** Decides what a present, hashed file means given its row (if any) and a rename source. */
export function classifyChange(input: {
  readonly row: FileRow | undefined
  readonly sha256: string
  readonly renamedFrom: FileRow | undefined
  readonly settings: PairSettings
  /** The row's asset also stands for other files of the pair (same bytes, one asset). */
  readonly assetShared?: boolean
}): ChangeDecision {
  const { row, sha256, renamedFrom, settings } = input
  if (row && row.deletedAt === null) {
    if (row.sha256 === sha256) return { kind: 'touched' }
    // A changed file whose asset is known becomes its next version, unless that asset also
    // stands for other files (a version would change them on the board too): then a new asset.
    const versionOf = versionTargetOf(row, settings, input.assetShared === true)
    if (versionOf !== undefined) return { kind: 'upload', reason: 'changed', versionOf }
    // A file that never landed (its upload failed or was interrupted) is not a change to skip.
    const landed = row.state !== 'pending' && row.state !== 'failed'
    return settings.onChange !== 'skip' || !landed
      ? { kind: 'upload', reason: 'changed' }
      : { kind: 'skip-change' }
  }
  if (row && row.sha256 === sha256) return { kind: 'restored' }
  if (renamedFrom) return { kind: 'moved', from: renamedFrom }
  return { kind: 'upload', reason: 'new' }
}

/**
 * The asset a changed file's new bytes become a version of: the row's asset when the pair makes
 * versions and the asset is the file's own (a pending or failed version keeps its asset too).
 */
export function versionTargetOf(
  row: FileRow,
  settings: PairSettings,
  assetShared: boolean,
): string | undefined {
  if (settings.onChange !== 'version' || row.assetToken === null || assetShared) return undefined
  return row.assetToken
}

/**
 * The queue key of a version: the asset, the bytes, and a round `k`. Round 0 is tried first; a
 * round whose job landed before the file's current job was an earlier save with these same bytes
 * (A → B → A → B), so the next round is tried (version-plan.ts). The same walk after a crash finds
 * the same job, so nothing is added twice.
 */
export function versionKeyFor(
  pairId: string,
  assetToken: string,
  sha256: string,
  k: number,
): string {
  return `version:${pairId}:${assetToken}:${sha256}:${k}`
}

/**
 * The queue's idempotency key: the same content in the same pair (or, without content dedupe, at
 * the same path) always maps to the same job, so a crash and restart enqueue nothing new.
 */
export function dedupeKeyFor(
  pairId: string,
  relPath: string,
  sha256: string,
  settings: PairSettings,
): string {
  return settings.dedupeContent ? `sync:${pairId}:${sha256}` : `sync:${pairId}:${relPath}:${sha256}`
}

/** The pair a request is built for. */
export interface PairTarget {
  readonly id: string
  readonly org: string
  readonly board: string
  readonly settings: PairSettings
}

/**
 * Builds the upload request for one file: title is the file name, description its path. A
 * changed file is always uploaded (`force`): the board holds its older version under its name.
 */
export function uploadRequestFor(
  pair: PairTarget,
  file: {
    readonly relPath: string
    readonly absPath: string
    readonly facts: FileFacts
    readonly sha256: string
  },
  changed = false,
  version?: { readonly assetToken: string; readonly round: number },
): UploadRequest {
  return {
    dedupeKey:
      version === undefined
        ? dedupeKeyFor(pair.id, file.relPath, file.sha256, pair.settings)
        : versionKeyFor(pair.id, version.assetToken, file.sha256, version.round),
    source: {
      kind: 'file',
      path: file.absPath,
      size: file.facts.size,
      mtimeMs: file.facts.mtimeMs,
      sha256: file.sha256,
    },
    org: pair.org,
    board: pair.board,
    title: basename(file.relPath),
    ...(pair.settings.describeWithPath ? { description: file.relPath } : {}),
    priority: Priority.background,
    ...(changed || pair.settings.uploadExisting ? { force: true } : {}),
    origin: { pairId: pair.id, relPath: file.relPath },
    ...(version === undefined
      ? {}
      : { target: { kind: 'version', assetToken: version.assetToken } }),
  }
}
