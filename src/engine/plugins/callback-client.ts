/**
 * The plugin's side of the callback URL Playbook hands it (seed 001): ask for placeholder assets
 * with `createAssets`, PUT bytes to their `uploadUrl`s, and report the invocation's final status.
 */
import { createAssetsResponseSchema, describeIssues } from './invocation-schema.ts'
import { isTransientStatus, parseRetryAfter, TransientError, withRetry } from './retry.ts'
import type { RetryPolicy } from './retry.ts'
import type { GuardedFetch } from './url-policy.ts'

/** One placeholder to ask for. */
export interface AssetRequest {
  readonly title: string
  readonly mediaType?: string
  /** An invoked asset's token to group with, `new`, `none`, or absent for Playbook's default. */
  readonly group?: string
}

/** A placeholder Playbook created: where to PUT its bytes. */
export interface CreatedPlaceholder {
  readonly token: string
  readonly uploadUrl: string
}

/** The final word on an invocation. */
export type InvocationStatus = 'success' | 'failed'

/** Talks to one invocation's callback URL. */
export interface CallbackClient {
  createAssets(assets: readonly AssetRequest[]): Promise<readonly CreatedPlaceholder[]>
  setStatus(status: InvocationStatus, message?: string): Promise<void>
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** A client for `callbackUrl`, acting for `invocationToken`. */
export function createCallbackClient(options: {
  readonly callbackUrl: string
  readonly invocationToken: string
  readonly retry: RetryPolicy
  readonly signal?: AbortSignal
  /** The checked fetch (URL policy). */
  readonly fetch?: GuardedFetch
}): CallbackClient {
  const { callbackUrl, invocationToken, retry, signal } = options
  const fetch = options.fetch ?? globalThis.fetch
  const retryOptions = signal === undefined ? {} : { signal }

  const post = (body: unknown): Promise<Response> =>
    fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: signal ?? null,
    })

  return {
    async createAssets(assets) {
      // Not retried after the request may have reached the server (it could create the
      // placeholders twice); only an explicit "try later" (429, 503) or a refused connection is.
      const response = await withRetry(
        retry,
        async () => {
          let res: Response
          try {
            res = await post({
              pluginInvocationToken: invocationToken,
              operation: 'createAssets',
              assets,
            })
          } catch (error) {
            const code = (error as { cause?: { code?: unknown } }).cause?.code
            if (code === 'ECONNREFUSED')
              throw new TransientError('createAssets: connection refused')
            throw new Error(`createAssets failed: ${(error as Error).message}`, { cause: error })
          }
          if (res.status === 429 || res.status === 503) {
            await res.body?.cancel()
            throw new TransientError(
              `createAssets answered HTTP ${res.status}`,
              parseRetryAfter(res.headers.get('retry-after')),
            )
          }
          return res
        },
        retryOptions,
      )
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(
          `createAssets answered HTTP ${response.status} ${await errorText(response)}`.trim(),
        )
      }
      const parsed = createAssetsResponseSchema.safeParse(await response.json().catch(() => null))
      if (!parsed.success) {
        throw new Error(
          `createAssets answer is invalid: ${describeIssues(parsed.error).join('; ')}`,
        )
      }
      if (parsed.data.pluginInvocationToken !== invocationToken) {
        throw new Error('createAssets answered for another invocation')
      }
      if (parsed.data.assets.length !== assets.length) {
        throw new Error(
          `createAssets returned ${parsed.data.assets.length} assets for ${assets.length} requested`,
        )
      }
      return parsed.data.assets
    },

    async setStatus(status, message) {
      await withRetry(
        retry,
        async () => {
          const res = await post({
            pluginInvocationToken: invocationToken,
            operation: 'setStatus',
            status,
            ...(message === undefined ? {} : { message }),
          })
          if (isTransientStatus(res.status)) {
            await res.body?.cancel()
            throw new TransientError(
              `setStatus answered HTTP ${res.status}`,
              parseRetryAfter(res.headers.get('retry-after')),
            )
          }
          if (!res.ok)
            throw new Error(`setStatus answered HTTP ${res.status} ${await errorText(res)}`.trim())
          await res.body?.cancel()
        },
        retryOptions,
      )
    },
  }
}

/** PUTs `bytes` to a placeholder's signed `uploadUrl` with its Content-Type; retried (idempotent). */
export async function putUpload(options: {
  readonly uploadUrl: string
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly retry: RetryPolicy
  readonly signal?: AbortSignal
  /** The checked fetch (URL policy). */
  readonly fetch?: GuardedFetch
}): Promise<void> {
  const { signal } = options
  const fetch = options.fetch ?? globalThis.fetch
  await withRetry(
    options.retry,
    async () => {
      const res = await fetch(options.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': options.contentType },
        body: options.bytes,
        signal: signal ?? null,
      })
      if (isTransientStatus(res.status)) {
        await res.body?.cancel()
        throw new TransientError(
          `upload answered HTTP ${res.status}`,
          parseRetryAfter(res.headers.get('retry-after')),
        )
      }
      if (!res.ok) {
        await res.body?.cancel()
        throw new Error(`upload answered HTTP ${res.status}`)
      }
      await res.body?.cancel()
    },
    signal === undefined ? {} : { signal },
  )
}
