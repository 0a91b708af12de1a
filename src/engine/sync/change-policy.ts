/**
 * What a change on disk means for the board, as pure functions: new → upload; changed bytes → a
 * new asset or nothing (setting); same bytes → nothing; renamed or moved → the path is updated;
 * deleted → nothing is ever deleted on Playbook. Also builds the queue request and its dedupe key.
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
  /** The bytes are new to this path: upload. */
  | { readonly kind: 'upload'; readonly reason: 'new' | 'changed' }
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
}): ChangeDecision {
  const { row, sha256, renamedFrom, settings } = input
  if (row && row.deletedAt === null) {
    if (row.sha256 === sha256) return { kind: 'touched' }
    // A file that never landed (its upload failed or was interrupted) is not a change to skip.
    const landed = row.state !== 'pending' && row.state !== 'failed'
    return settings.onChange === 'new-asset' || !landed
      ? { kind: 'upload', reason: 'changed' }
      : { kind: 'skip-change' }
  }
  if (row && row.sha256 === sha256) return { kind: 'restored' }
  if (renamedFrom) return { kind: 'moved', from: renamedFrom }
  return { kind: 'upload', reason: 'new' }
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
): UploadRequest {
  return {
    dedupeKey: dedupeKeyFor(pair.id, file.relPath, file.sha256, pair.settings),
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
  }
}
