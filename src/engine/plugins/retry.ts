/**
 * Retry with exponential backoff for the plugin host's transfers (downloads, uploads, callbacks):
 * a failed transfer is retried like any other transfer in the app, honouring Retry-After.
 */

/** How often and how patiently to retry one network step. */
export interface RetryPolicy {
  /** Attempts in a row without progress before giving up (first try included). */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/** Defaults: 6 attempts, 0.5 s doubling up to 30 s. */
export const defaultRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 }

/** An error worth another attempt (connection lost, 408/429/5xx), with the server's wish if any. */
export class TransientError extends Error {
  readonly retryAfterMs: number | undefined
  constructor(message: string, retryAfterMs?: number) {
    super(message)
    this.name = 'TransientError'
    this.retryAfterMs = retryAfterMs
  }
}

/** True for HTTP statuses that say "try again later". */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), capped at a minute. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  if (!Number.isFinite(ms)) return undefined
  return Math.min(Math.max(ms, 0), 60_000)
}

const networkCodes = /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_.*)$/

/** Network-level failures from fetch (refused, reset, cut-off body) count as transient. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true
  if (!(error instanceof Error) || error.name === 'AbortError') return false
  // undici: "fetch failed", "terminated"; but an address the policy refused stays refused.
  if (error instanceof TypeError)
    return (error.cause as { name?: unknown } | undefined)?.name !== 'PluginUrlError'
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && networkCodes.test(code)
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** The delay before attempt `n` (1-based count of failures so far), with jitter. */
export function backoffDelay(policy: RetryPolicy, failures: number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(failures - 1, 0))
  const jittered = exp / 2 + Math.random() * (exp / 2)
  return Math.max(jittered, retryAfterMs ?? 0)
}

/**
 * Runs `step` until it succeeds, fails with a non-transient error, or fails `policy.attempts`
 * times in a row. `step` gets a `progressed` callback: calling it resets the count, so a long
 * download that keeps moving is never given up on for a few hiccups.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  step: (progressed: () => void) => Promise<T>,
  options: {
    readonly signal?: AbortSignal
    readonly onRetry?: (error: unknown, delayMs: number) => void
  } = {},
): Promise<T> {
  let failures = 0
  for (;;) {
    let moved = false
    try {
      return await step(() => {
        moved = true
      })
    } catch (error) {
      if (options.signal?.aborted || !isTransient(error)) throw error
      failures = moved ? 1 : failures + 1
      if (failures >= policy.attempts) throw error
      const delay = backoffDelay(
        policy,
        failures,
        error instanceof TransientError ? error.retryAfterMs : undefined,
      )
      options.onRetry?.(error, delay)
      await sleep(delay, options.signal)
    }
  }
}
