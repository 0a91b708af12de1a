/**
 * Fault injection for the non-admin routes (`/__sandbox/faults`). Rules are tried in order; the
 * first that matches a request is used and its `times` decremented (`times` defaults to 1;
 * `times: 0` means unlimited). `path` is a prefix of the URL path, or, when it contains `*`, a glob
 * over the whole path (`*` matches anything, `/` included).
 *  - status: answer `status` with `{"error":"injected"}` (and `Retry-After` when `retry_after` is set)
 *  - reset: read `after_bytes` bytes of the body (0 by default), then destroy the socket; storage
 *    keeps the whole 256 KiB blocks of what arrived, as GCS persists them
 *  - delay: wait `delay_ms`, then answer normally
 *  - partial (chunk PUTs only): store `after_bytes` rounded down to 256 KiB, answer 308 with that Range
 *  - lose-response: the request takes full effect (state committed), then the connection is
 *    dropped instead of the answer: the client cannot know the work was done
 *  - hold: the request takes full effect, then the answer is held back `hold_ms` (or `delay_ms`)
 *    before it is sent, so a test can kill the client while the work is done but unanswered
 */
import { HttpError, isRecord } from './http-util.ts'

/** One rule as posted. */
export interface FaultRule {
  readonly method?: string
  readonly path: string
  readonly action: 'status' | 'reset' | 'delay' | 'partial' | 'lose-response' | 'hold'
  readonly status?: number
  readonly retry_after?: number
  readonly after_bytes?: number
  readonly delay_ms?: number
  /** How long `hold` keeps a finished answer back (falls back to `delay_ms`). */
  readonly hold_ms?: number
  /** Remaining uses; 0 = unlimited. */
  times: number
}

/** The active rules. */
export class FaultRules {
  private rules: FaultRule[] = []

  list(): readonly FaultRule[] {
    return this.rules
  }

  clear(): void {
    this.rules = []
  }

  /** Validates and appends rules from a `{"rules": [...]}` body; 422 naming the bad field. */
  add(body: Record<string, unknown>): void {
    const raw = Array.isArray(body.rules)
      ? body.rules
      : isRecord(body) && 'path' in body
        ? [body]
        : undefined
    if (!raw) throw new HttpError(422, 'rules must be an array')
    const parsed = raw.map((r, i) => parseRule(r, i))
    this.rules.push(...parsed)
  }

  /** The rule for this request, consumed once; undefined when none matches. */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex(
      (r) => (!r.method || r.method.toUpperCase() === method) && pathMatches(r.path, path),
    )
    if (index < 0) return undefined
    const rule = this.rules[index] as FaultRule
    if (rule.times > 0) {
      rule.times -= 1
      if (rule.times === 0) this.rules.splice(index, 1)
    }
    return { ...rule }
  }
}

function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return path.startsWith(pattern)
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`)
  return re.test(path)
}

function escapeRe(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

const ACTIONS = ['status', 'reset', 'delay', 'partial', 'lose-response', 'hold'] as const

function parseRule(raw: unknown, i: number): FaultRule {
  if (!isRecord(raw)) throw new HttpError(422, `rules[${i}] must be an object`)
  const num = (key: string): number | undefined => {
    const v = raw[key]
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new HttpError(422, `rules[${i}].${key} must be a number >= 0`)
    return v
  }
  if (typeof raw.path !== 'string' || !raw.path.startsWith('/'))
    throw new HttpError(422, `rules[${i}].path must start with /`)
  const action = ACTIONS.find((a) => a === raw.action)
  if (!action) throw new HttpError(422, `rules[${i}].action must be one of ${ACTIONS.join(', ')}`)
  if (raw.method !== undefined && typeof raw.method !== 'string')
    throw new HttpError(422, `rules[${i}].method must be a string`)
  const status = num('status')
  if (action === 'status' && (status === undefined || status < 100 || status > 599)) {
    throw new HttpError(422, `rules[${i}].status must be an HTTP status`)
  }
  return {
    method: raw.method as string | undefined,
    path: raw.path,
    action,
    status,
    retry_after: num('retry_after'),
    after_bytes: num('after_bytes'),
    delay_ms: num('delay_ms'),
    hold_ms: num('hold_ms'),
    times: num('times') ?? 1,
  }
}
