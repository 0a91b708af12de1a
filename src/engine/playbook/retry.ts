/**
 * Retry policy for idempotent calls: exponential backoff with full jitter, honouring Retry-After.
 * Sleep and randomness are injectable so tests can check the schedule without waiting.
 */
import { isPlaybookError } from './errors.ts'

/** How many tries and how long to wait between them. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Upper bound on a server-requested Retry-After wait. */
  readonly maxRetryAfterMs: number
}

/** Defaults: 5 tries, 0.5 s doubling to 30 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
}

/** Sleeps `ms`; rejects early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** The real sleep. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** Whether an error is worth another try: 408, 429, 5xx and network failures. */
export function isRetryable(e: unknown): boolean {
  if (!isPlaybookError(e)) return false
  switch (e.kind) {
    case 'network':
    case 'quota':
      return true
    case 'server':
      return e.status >= 500 || e.status === 0
    default:
      return false
  }
}

/** Full-jitter backoff for the n-th failure (1-based): random in [0, min(max, base·2^(n-1))). */
export function backoffDelayMs(
  failures: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1))
  return Math.floor(random() * ceiling)
}

/** The wait before the next try: the server's Retry-After when given, else jittered backoff. */
export function retryDelayMs(
  e: unknown,
  failures: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (isPlaybookError(e) && e.retryAfterMs !== undefined)
    return Math.min(e.retryAfterMs, policy.maxRetryAfterMs)
  return backoffDelayMs(failures, policy, random)
}

/** Options for {@link withRetry}. */
export interface RetryOptions {
  readonly policy?: RetryPolicy
  readonly sleep?: Sleep
  readonly random?: () => number
  readonly signal?: AbortSignal
  /** Narrows which errors are retried (default {@link isRetryable}). */
  readonly retryOn?: (e: unknown) => boolean
  readonly onRetry?: (e: unknown, failures: number, delayMs: number) => void
}

/** Runs `fn` until it succeeds, a non-retryable error occurs, or the attempts run out. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy
  const sleep = options.sleep ?? realSleep
  const random = options.random ?? Math.random
  const retryOn = options.retryOn ?? isRetryable
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (e) {
      if (attempt >= policy.maxAttempts || !retryOn(e) || options.signal?.aborted) throw e
      const delay = retryDelayMs(e, attempt, policy, random)
      options.onRetry?.(e, attempt, delay)
      await sleep(delay, options.signal)
    }
  }
}
