/**
 * Reading Playbook's answers: the `{data: …}` envelope (present or not) and validation against
 * the zod schemas, with an invalid answer reported as a server error that names what was wrong.
 */
import type { z } from 'zod'
import { PlaybookError } from './errors.ts'

/** Strips the `{data: …}` envelope when present. */
export function unwrap(body: unknown): unknown {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'data' in body) {
    return (body as { data: unknown }).data
  }
  return body
}

/** Validates an answer, so a shape the client does not expect fails loudly, never half-read. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) throw invalid(what, r.error, 200)
  return r.data
}

/** The error for an answer that failed its schema: its first issue, in words. */
export function invalid(what: string, error: z.ZodError, status: number): PlaybookError {
  const issue = error.issues[0]
  const where = issue === undefined ? '' : `${issue.path.join('.') || '(root)'}: ${issue.message}`
  return new PlaybookError('server', `unexpected ${what} answer from Playbook (${where})`, {
    status,
  })
}

/**
 * Validates a list of records one by one: a record the client cannot use (no token) is left
 * out and counted, so one odd record never fails a whole listing. Not a list is still an error.
 */
export function parseRecords<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): { readonly items: T[]; readonly skipped: number } {
  if (!Array.isArray(value))
    throw invalid(what, schema.array().safeParse(value).error as z.ZodError, 200)
  const items: T[] = []
  let skipped = 0
  for (const raw of value) {
    const r = schema.safeParse(raw)
    if (r.success) items.push(r.data)
    else skipped++
  }
  return { items, skipped }
}
