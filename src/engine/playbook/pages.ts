/**
 * Paged list answers: one page with its `pagy`, a list's query string, and walking every page
 * (by `total_pages` when the server gives it, else until a short page).
 */
import { pagySchema } from './schemas.ts'
import type { Pagy } from './schemas.ts'

/** One page of a list answer. */
export interface Page<T> {
  readonly items: readonly T[]
  readonly pagy: Pagy | undefined
}

/** The answer's `pagy`, when present and valid (a list without it is still read). */
export function pagyOf(body: unknown): Pagy | undefined {
  if (body === null || typeof body !== 'object' || !('pagy' in body)) return undefined
  const r = pagySchema.safeParse((body as { pagy: unknown }).pagy)
  return r.success ? r.data : undefined
}

function hasMore(page: number, count: number, perPage: number, pagy: Pagy | undefined): boolean {
  if (typeof pagy?.total_pages === 'number') return page < pagy.total_pages
  return count >= perPage
}

/** Every item of a list, page by page (100 a page), so callers never see paging. */
export async function collectPages<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
): Promise<readonly T[]> {
  const out: T[] = []
  for (let page = 1; page <= 10_000; page++) {
    const { items, pagy } = await fetchPage(page)
    out.push(...items)
    if (!hasMore(page, items.length, 100, pagy)) break
  }
  return out
}

/** A list's query string (`?a=1&b=2`), leaving out parameters not given. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}
