/**
 * The checks both GCS senders (chunked and streaming) make before they trust or finish anything:
 * the file is still the one that was queued, the bytes a session holds are vouched for by the
 * recorded sent-mark, and the request that would finish the object only goes out when what storage
 * would then hold hashes to the content that was decided.
 */
import { createHash } from 'node:crypto'
import type { Hash } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { PlaybookError, isAbortError, isPlaybookError } from '../playbook/errors.ts'
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryable,
  realSleep,
  retryDelayMs,
} from '../playbook/retry.ts'
import type { Sleep } from '../playbook/retry.ts'
import type { ChunkReader } from './source-reader.ts'
import { SourceChangedError, SourceUnreadableError } from './transfer-errors.ts'
import { RestartFromPrepareError } from './transfer-errors.ts'

/**
 * What a job has recorded about the bytes it may have sent on its session: the bytes [0, end) it
 * sent (or was about to send) hash to `sha256`. Written before those bytes go out, so after a
 * crash the file can be checked against it before trusting what storage holds.
 */
export interface SentMark {
  readonly end: number
  readonly sha256: string
}

/** The facts about the source file every check needs. */
export interface SourceFacts {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  /** The content the caller decided to upload (null: the file as it is when it finishes). */
  readonly expectedSha256?: string | null
}

/** sha256 of no bytes. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** Storage answered something that contradicts what was sent: a server error, retried. */
export function contradiction(what: string): PlaybookError {
  return new PlaybookError(
    'server',
    `storage answered a Range that contradicts the upload: ${what}`,
    {
      status: 502,
    },
  )
}

/**
 * Throws (and so never sends the bytes that would finish the object) unless `candidate`, the hash
 * of everything storage would then hold, is the decided content: the expected hash, or else the
 * file as it is now.
 */
export async function holdBackUnlessDecided(
  input: SourceFacts,
  candidate: string,
  fileNow: () => Promise<string>,
): Promise<void> {
  if (input.expectedSha256) {
    if (candidate === input.expectedSha256) return
  } else if ((await fileNow()) === candidate) {
    return
  }
  throw new SourceChangedError(
    input.path,
    'changed while it was uploading (the bytes sent are not one version of it); nothing was finished on Playbook',
  )
}

/**
 * The hash of storage's first `stored` bytes on a session this run did not fill alone: the file's
 * bytes now, once they are shown to be the ones sent (they hash to the recorded mark). Otherwise
 * the session holds bytes nobody can vouch for: it is abandoned and the upload starts again.
 */
export async function vouchFor(
  reader: ChunkReader,
  input: SourceFacts,
  mark: SentMark | null,
  stored: number,
): Promise<Hash> {
  if (stored === 0) return createHash('sha256')
  if (mark === null || stored > mark.end)
    throw new RestartFromPrepareError(
      'storage holds bytes this job has no record of sending; starting the upload again',
    )
  const now = await reader.hashPrefix(mark.end, stored, 0)
  if (now.full !== mark.sha256)
    throw new RestartFromPrepareError(
      `${input.path} changed since part of it was sent; starting the upload again`,
    )
  return now.atHash
}

/**
 * Storage says the object is finished. That happens only once the last piece went out after the
 * hash check passed, so the object's bytes are the ones a full-length mark describes: the file is
 * checked unchanged and the mark's hash is the upload's. Without such a mark nobody can vouch for
 * the object, and the upload starts again.
 */
export async function vouchForFinished(
  input: SourceFacts,
  mark: SentMark | null,
): Promise<{ readonly sha256: string }> {
  if (mark === null || mark.end !== input.size)
    throw new RestartFromPrepareError(
      'storage holds a finished upload this job cannot vouch for; starting again',
    )
  await checkUnchanged(input)
  return { sha256: mark.sha256 }
}

/**
 * What the kernel says about the source when it was opened: any write to the file moves its ctime
 * (restoring the mtime with utimes moves it too), so an equal stamp later means no write happened
 * in between. `trusted` is false when the ctime was too close to the open for that to hold (a write
 * in the same timestamp tick would not move it), as git does for "racily clean" index entries.
 */
export interface SourceStamp {
  readonly dev: bigint
  readonly ino: bigint
  readonly size: bigint
  readonly mtimeNs: bigint
  readonly ctimeNs: bigint
  readonly trusted: boolean
}

/** A ctime at least this much older than the open is trusted to show any later write. */
const RACY_WINDOW_NS = 2_000_000_000n

/** Stamps the open source (`nowMs`: the wall clock when it was opened). */
export async function stampSource(handle: FileHandle, nowMs: number): Promise<SourceStamp> {
  const st = await handle.stat({ bigint: true })
  const now = BigInt(Math.floor(nowMs)) * 1_000_000n
  return {
    dev: st.dev,
    ino: st.ino,
    size: st.size,
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    trusted: st.ctimeNs + RACY_WINDOW_NS <= now,
  }
}

/**
 * The hash of the whole file as it is now, given `sent`, the hash of the bytes read for the
 * upload: when the path still names the stamped file and nothing wrote to it since it was opened,
 * that is `sent`, and the file is not read again; otherwise (a racy stamp, a touched or replaced
 * file) `reread()` hashes the file as it is now.
 */
export async function hashOfFileNow(
  input: SourceFacts,
  opened: SourceStamp,
  sent: string,
  reread: () => Promise<string>,
): Promise<string> {
  if (opened.trusted) {
    let st
    try {
      st = await stat(input.path, { bigint: true })
    } catch (e) {
      throw sourceError(input.path, e)
    }
    if (
      st.dev === opened.dev &&
      st.ino === opened.ino &&
      st.size === opened.size &&
      st.mtimeNs === opened.mtimeNs &&
      st.ctimeNs === opened.ctimeNs
    )
      return sent
  }
  return reread()
}

/** Opens the source, checking it is still the regular file of the size and mtime queued. */
export async function openSource(input: SourceFacts): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(input.path, 'r')
  } catch (e) {
    throw sourceError(input.path, e)
  }
  try {
    const st = await handle.stat()
    if (!st.isFile()) throw new SourceUnreadableError(input.path, 'is not a regular file')
    if (st.size !== input.size || Math.abs(st.mtimeMs - input.mtimeMs) > 1) {
      throw new SourceChangedError(
        input.path,
        `changed since it was queued (size ${input.size} → ${st.size})`,
      )
    }
  } catch (e) {
    await handle.close()
    throw e
  }
  return handle
}

/** Throws a source change when the file's size or mtime moved since it was queued. */
export async function checkUnchanged(input: SourceFacts): Promise<void> {
  let st
  try {
    st = await stat(input.path)
  } catch (e) {
    throw sourceError(input.path, e)
  }
  if (st.size !== input.size || Math.abs(st.mtimeMs - input.mtimeMs) > 1) {
    throw new SourceChangedError(input.path, 'changed during upload')
  }
}

function sourceError(path: string, e: unknown): Error {
  const code = (e as { code?: unknown }).code
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new SourceChangedError(path, 'vanished before it was uploaded')
  return new SourceUnreadableError(path, e instanceof Error ? e.message : String(e))
}

/** True for errors no retry on the same session can fix (the caller rethrows them). */
export function isFinalForSession(e: unknown): boolean {
  return (
    e instanceof RestartFromPrepareError ||
    e instanceof SourceChangedError ||
    e instanceof SourceUnreadableError
  )
}

/** How long to wait before the `stalls`-th retry on a session. */
export function stallDelayMs(e: unknown, stalls: number, random: () => number): number {
  return isPlaybookError(e) && e.retryAfterMs !== undefined
    ? retryDelayMs(e, stalls, defaultRetryPolicy, random)
    : backoffDelayMs(stalls, { ...defaultRetryPolicy, baseDelayMs: 250, maxDelayMs: 8000 }, random)
}

/** How a sender retries on its session (defaults: real sleep, 6 tries without progress). */
export interface StallPolicy {
  readonly sleep?: Sleep
  readonly random?: () => number
  readonly maxStalls?: number
  readonly signal?: AbortSignal
}

/**
 * After a failed try on a session: rethrows `e` when no retry on this session can fix it (an
 * abort, a final or non-retryable error) or when it used up the tries without progress; otherwise
 * waits the back-off. Resolves with the new count of tries without progress.
 */
export async function backOffAfter(
  e: unknown,
  stalls: number,
  policy: StallPolicy,
): Promise<number> {
  if (isAbortError(e) || policy.signal?.aborted) throw e
  if (isFinalForSession(e) || !isRetryable(e)) throw e
  const next = stalls + 1
  if (next >= (policy.maxStalls ?? 6)) throw e
  await (policy.sleep ?? realSleep)(
    stallDelayMs(e, next, policy.random ?? Math.random),
    policy.signal,
  )
  return next
}
