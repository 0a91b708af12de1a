/**
 * One transfer job as stored: its fields, their columns, the legal state transitions and the
 * conversion between SQLite values and rows. Pure data; the store (job-store.ts) writes it.
 */
import type { SQLInputValue } from 'node:sqlite'
import type { JobState } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'

/** A job's state name. */
export type StateKind = JobState['kind']

/** One job as stored. */
export interface JobRow {
  readonly id: string
  readonly dedupeKey: string | null
  readonly kind: 'file' | 'url'
  readonly path: string | null
  readonly uri: string | null
  readonly asLink: boolean
  readonly size: number
  readonly mtimeMs: number
  readonly expectedSha256: string | null
  readonly org: string
  readonly board: string
  readonly title: string
  readonly description: string | null
  readonly mediaType: string
  readonly priority: number
  readonly paused: boolean
  readonly state: StateKind
  readonly confirmedBytes: number
  readonly batchId: string | null
  readonly uploadUrl: string | null
  readonly signedGcsId: string | null
  readonly fileExtension: string | null
  readonly orgMetadata: string | null
  readonly storageProvider: string | null
  /** Provider-specific plan (JSON) for providers other than GCS; see backblaze-upload.ts. */
  readonly providerPlan: string | null
  readonly preparedAt: number | null
  readonly sessionUrl: string | null
  /** The bytes [0, sentEnd) this job sent (or was about to send) on its session hash to sentSha256. */
  readonly sentEnd: number
  readonly sentSha256: string | null
  /** A non-idempotent request (complete, URL create) may have reached the server: look up before resending. */
  readonly requestSent: boolean
  readonly assetToken: string | null
  readonly sha256: string | null
  readonly failReason: string | null
  readonly retryable: boolean
  readonly attempts: number
  readonly notBefore: number
  /** Prepare this job alone (a batch it was in was refused as a whole). */
  readonly solo: boolean
  readonly createdAt: number
  readonly updatedAt: number
  readonly pairId: string | null
  readonly relPath: string | null
  /** Server-clock ms: an asset created before this cannot be this job's (see completion-match). */
  readonly windowStart: number | null
  /** Server-clock ms of the first completion (or URL create) attempt. */
  readonly attemptAt: number | null
  /** Local ms of the latest completion send (the grace period counts from it). */
  readonly sentAt: number | null
  /** What the job waits for, in plain words (shown with its state); null when nothing special. */
  readonly note: string | null
  /** Upload even when the board already holds a file with this title and size. */
  readonly force: boolean
  /** Times the upload started again from prepare because Playbook called it expired or gone. */
  readonly restarts: number
}

/** Fields a transition or patch may set. */
export type JobPatch = Partial<
  Omit<JobRow, 'id' | 'kind' | 'org' | 'createdAt' | 'updatedAt' | 'state'>
>

/** Each field's column in `transfer_jobs`. */
export const columns: Readonly<Record<keyof JobRow, string>> = {
  id: 'id',
  dedupeKey: 'dedupe_key',
  kind: 'kind',
  path: 'path',
  uri: 'uri',
  asLink: 'as_link',
  size: 'size',
  mtimeMs: 'mtime_ms',
  expectedSha256: 'expected_sha256',
  org: 'org',
  board: 'board',
  title: 'title',
  description: 'description',
  mediaType: 'media_type',
  priority: 'priority',
  paused: 'paused',
  state: 'state',
  confirmedBytes: 'confirmed_bytes',
  batchId: 'batch_id',
  uploadUrl: 'upload_url',
  signedGcsId: 'signed_gcs_id',
  fileExtension: 'file_extension',
  orgMetadata: 'org_metadata',
  storageProvider: 'storage_provider',
  providerPlan: 'provider_plan',
  preparedAt: 'prepared_at',
  sessionUrl: 'session_url',
  sentEnd: 'sent_end',
  sentSha256: 'sent_sha256',
  requestSent: 'request_sent',
  assetToken: 'asset_token',
  sha256: 'sha256',
  failReason: 'fail_reason',
  retryable: 'retryable',
  attempts: 'attempts',
  notBefore: 'not_before',
  solo: 'solo',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  pairId: 'pair_id',
  relPath: 'rel_path',
  windowStart: 'window_start',
  attemptAt: 'attempt_at',
  sentAt: 'sent_at',
  note: 'note',
  force: 'force',
  restarts: 'restarts',
}
/** Fields stored as 0/1. */
const booleans = new Set<keyof JobRow>([
  'asLink',
  'paused',
  'requestSent',
  'retryable',
  'solo',
  'force',
])

/** Which transitions are legal; anything else is a bug and throws. */
export function canTransition(from: StateKind, to: StateKind): boolean {
  switch (from) {
    case 'queued':
      return (
        to === 'preparing' ||
        to === 'ingesting' ||
        to === 'failed' ||
        to === 'cancelled' ||
        to === 'queued'
      )
    case 'preparing':
      // done: the board already held this file (recognised before uploading).
      return (
        to === 'queued' ||
        to === 'uploading' ||
        to === 'done' ||
        to === 'failed' ||
        to === 'cancelled'
      )
    case 'uploading':
      return to === 'completing' || to === 'queued' || to === 'failed' || to === 'cancelled'
    case 'completing':
      return to === 'done' || to === 'queued' || to === 'failed' || to === 'cancelled'
    case 'ingesting':
      return to === 'done' || to === 'failed' || to === 'cancelled' || to === 'queued'
    case 'failed':
      // Back to completing only for an upload that finished (its asset may already exist).
      return to === 'queued' || to === 'completing' || to === 'cancelled'
    case 'done':
    case 'cancelled':
      return false
    default:
      return assertNever(from, 'job state')
  }
}

/** States that still have work to do. */
export const activeStates: readonly StateKind[] = [
  'queued',
  'preparing',
  'uploading',
  'completing',
  'ingesting',
]

/** A field value as SQLite stores it. */
export function toDb(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0
  return value as SQLInputValue
}

/** Each field with its column and whether it is stored as 0/1 (computed once: rows are read often). */
const fields: readonly (readonly [string, string, boolean])[] = Object.entries(columns).map(
  ([key, column]) => [key, column, booleans.has(key as keyof JobRow)] as const,
)

/** A stored row as a job. */
export function fromDb(raw: Record<string, unknown>): JobRow {
  const out: Record<string, unknown> = {}
  for (const [key, column, boolean] of fields) {
    const value = raw[column]
    out[key] = boolean
      ? value === 1 || value === 1n
      : typeof value === 'bigint'
        ? Number(value)
        : value
  }
  return out as unknown as JobRow
}
