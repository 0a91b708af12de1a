import { describe, expect, it } from 'vitest'
import { PlaybookError } from '../../../src/engine/playbook/errors.ts'
import {
  backoffDelayMs,
  defaultRetryPolicy,
  isRetryable,
  withRetry,
} from '../../../src/engine/playbook/retry.ts'

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 }

describe('retry policy', () => {
  it('retries 408, 429, 5xx and network errors only', () => {
    expect(isRetryable(new PlaybookError('network', 'reset'))).toBe(true)
    expect(isRetryable(new PlaybookError('network', 'timeout', { status: 408 }))).toBe(true)
    expect(isRetryable(new PlaybookError('quota', 'slow', { status: 429 }))).toBe(true)
    expect(isRetryable(new PlaybookError('server', 'boom', { status: 503 }))).toBe(true)
    expect(isRetryable(new PlaybookError('server', 'bad answer', { status: 200 }))).toBe(false)
    expect(isRetryable(new PlaybookError('auth', 'who', { status: 401 }))).toBe(false)
    expect(isRetryable(new PlaybookError('validation', 'no', { status: 422 }))).toBe(false)
    expect(isRetryable(new Error('plain'))).toBe(false)
  })

  it('uses full jitter under an exponential ceiling', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ])
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0)
    expect(backoffDelayMs(30, defaultRetryPolicy, () => 0.5)).toBe(15_000)
  })

  it('retries until success, waiting the jittered delays', async () => {
    const waits: number[] = []
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw new PlaybookError('server', 'boom', { status: 502 })
        return 'ok'
      },
      { policy, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
    )
    expect(result).toBe('ok')
    expect(waits).toEqual([50, 100])
  })

  it('honours Retry-After instead of backoff', async () => {
    const waits: number[] = []
    let calls = 0
    await withRetry(
      async () => {
        if (calls++ === 0)
          throw new PlaybookError('quota', 'later', { status: 429, retryAfterMs: 1234 })
      },
      { policy, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
    )
    expect(waits).toEqual([1234])
  })

  it('gives up after maxAttempts and does not retry non-retryable errors', async () => {
    let calls = 0
    const always = withRetry(
      async () => {
        calls++
        throw new PlaybookError('network', 'down')
      },
      { policy, sleep: async () => {} },
    )
    await expect(always).rejects.toThrow('down')
    expect(calls).toBe(4)
    calls = 0
    const fatal = withRetry(
      async () => {
        calls++
        throw new PlaybookError('validation', 'bad', { status: 422 })
      },
      { policy, sleep: async () => {} },
    )
    await expect(fatal).rejects.toThrow('bad')
    expect(calls).toBe(1)
  })
})
