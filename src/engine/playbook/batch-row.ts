/**
 * Reads one row of a batch answer (`batch_upload_complete`, `batch_create_from_urls`) in every
 * shape Playbook's material allows: `{uuid, asset}`, `{uuid, error: {status, message}}`,
 * `{uuid, error: "text", status: 422}`, `{uuid, errors: [...]}`, `{uuid, message, status}`.
 * A row without an asset and without any error says nothing: the caller treats it as unknown.
 */
import { messageFromBody } from './errors.ts'
import type { AssetRecord, BatchRow } from './schemas.ts'

/** What one row says happened to its file. */
export type RowOutcome =
  | { readonly kind: 'asset'; readonly asset: AssetRecord }
  | { readonly kind: 'error'; readonly status: number; readonly message: string }
  | { readonly kind: 'unknown' }

/** Reads a row; `status` is 0 when the row names no HTTP status. */
export function readBatchRow(row: BatchRow | undefined): RowOutcome {
  if (row === undefined) return { kind: 'unknown' }
  if (row.asset !== null && row.asset !== undefined) return { kind: 'asset', asset: row.asset }
  const record = row as Record<string, unknown>
  const error = record.error
  const nested =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {}
  const status =
    statusOf(record.status) ??
    statusOf(nested.status) ??
    statusOf(nested.code) ??
    statusOf(record.code) ??
    0
  const hasError =
    present(error) || present(record.errors) || present(record.message) || status >= 400
  if (!hasError) return { kind: 'unknown' }
  const message = messageFromBody(
    { error: record.error, errors: record.errors, message: record.message },
    status > 0 ? `HTTP ${status}` : 'refused',
  )
  return { kind: 'error', status, message }
}

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  return !(Array.isArray(value) && value.length === 0)
}

/** An HTTP status from a number or a numeric string (`422`, `"422"`); undefined otherwise. */
function statusOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined
}
