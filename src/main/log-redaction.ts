/**
 * What electron-log's hook does to every message before any transport writes it: the current
 * token, bearer headers and signed URL parameters are redacted in strings, fields and errors.
 * Kept apart from electron-log so it can be tested without Electron.
 */
import { redactFields, redactText } from '../shared/redact.ts'

/** Redacts the parts of one log message (electron-log's `message.data`). */
export function redactLogParts(parts: readonly unknown[], secrets: readonly string[]): unknown[] {
  return parts.map((part) =>
    typeof part === 'string' ? redactText(part, secrets) : redactFields(part, secrets),
  )
}
