/**
 * Downloads one signed URL to a `.part` file, streamed (never held in memory), resuming with a
 * Range request where the server allows and retrying with backoff like any other transfer. The
 * caller moves the finished `.part` file to its final name.
 */
import { createWriteStream } from 'node:fs'
import { stat, truncate } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { isTransientStatus, parseRetryAfter, TransientError, withRetry } from './retry.ts'
import type { RetryPolicy } from './retry.ts'
import type { GuardedFetch } from './url-policy.ts'

/** A download went past a byte cap; not retried, the part file is emptied. */
export class ByteCapError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ByteCapError'
  }
}

/** Bytes an invocation may still download, shared by its assets. */
export interface ByteBudget {
  /** Counts `bytes`; throws a ByteCapError once the invocation's cap is passed. */
  take(bytes: number): void
}

/** A budget of `maxBytes` for one invocation. */
export function byteBudget(maxBytes: number): ByteBudget {
  let used = 0
  return {
    take(bytes) {
      used += bytes
      if (used > maxBytes)
        throw new ByteCapError(
          `the files of this request are larger than ${maxBytes} bytes together`,
        )
    },
  }
}

/** Bytes on disk so far and the full size when the server said it. */
export interface DownloadProgress {
  readonly bytesDone: number
  readonly bytesTotal: number | null
}

/** One download. */
export interface DownloadOptions {
  readonly url: string
  readonly partPath: string
  readonly retry: RetryPolicy
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: DownloadProgress) => void
  readonly onRetry?: (error: unknown, delayMs: number) => void
  /** The checked fetch (URL policy); the global one only where no policy applies (tests). */
  readonly fetch?: GuardedFetch
  /** The largest file this download may be. */
  readonly maxBytes?: number
  /** The invocation's shared allowance. */
  readonly budget?: ByteBudget
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
}

/** Parses a Content-Range header: `bytes 10-99/100` gives start 10 and total 100; the
 * unsatisfied form (star, slash, total) gives start null. */
export function parseContentRange(
  header: string | null,
): { readonly start: number | null; readonly total: number | null } | undefined {
  const match = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(header?.trim() ?? '')
  if (match === null) return undefined
  return {
    start: match[1] === undefined ? null : Number(match[1]),
    total: match[3] === undefined || match[3] === '*' ? null : Number(match[3]),
  }
}

/** Fetches `url` into `partPath`; resolves with the file's size once every byte is there. */
export async function downloadToPart(
  options: DownloadOptions,
): Promise<{ readonly bytes: number }> {
  const { url, partPath, signal } = options
  const get = options.fetch ?? fetch
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER
  const tooBig = () => new ByteCapError(`the file is larger than ${maxBytes} bytes`)
  return withRetry(
    options.retry,
    async (progressed) => {
      const offset = await sizeOf(partPath)
      const response = await get(url, {
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
        signal: signal ?? null,
      })
      const discard = (): Promise<void> =>
        response.body?.cancel().catch(() => {}) ?? Promise.resolve()

      if (response.status === 416 && offset > 0) {
        await discard()
        const range = parseContentRange(response.headers.get('content-range'))
        if (range?.total === offset) return { bytes: offset }
        await truncate(partPath, 0)
        throw new TransientError('the partial download no longer fits the file; starting over')
      }
      if (isTransientStatus(response.status)) {
        await discard()
        throw new TransientError(
          `download answered HTTP ${response.status}`,
          parseRetryAfter(response.headers.get('retry-after')),
        )
      }
      if (response.status !== 200 && response.status !== 206) {
        await discard()
        throw new Error(`download answered HTTP ${response.status}`)
      }

      let start = 0
      let total: number | null
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get('content-range'))
        if (range?.start !== offset) {
          await discard()
          await truncate(partPath, 0)
          throw new TransientError('the server resumed at the wrong offset; starting over')
        }
        start = offset
        total = range.total
      } else {
        const length = response.headers.get('content-length')
        total = length === null ? null : Number(length)
      }
      if (response.body === null) throw new TransientError('download has no body')
      if (total !== null && total > maxBytes) {
        await discard()
        throw tooBig()
      }

      let written = start
      options.onProgress?.({ bytesDone: written, bytesTotal: total })
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            written += chunk.length
            if (written > maxBytes) throw tooBig()
            options.budget?.take(chunk.length)
            progressed()
            options.onProgress?.({ bytesDone: written, bytesTotal: total })
            yield chunk
          }
        },
        createWriteStream(partPath, { flags: start > 0 ? 'a' : 'w', mode: 0o600 }),
        signal === undefined ? {} : { signal },
      ).catch(async (error: unknown) => {
        // Nothing of an oversize file stays on disk.
        if (error instanceof ByteCapError) await truncate(partPath, 0).catch(() => {})
        throw error
      })
      if (total !== null && written < total) {
        throw new TransientError(`download stopped at ${written} of ${total} bytes`)
      }
      if (total !== null && written > total) {
        await truncate(partPath, 0)
        throw new TransientError(`download sent ${written} bytes, more than the ${total} announced`)
      }
      return { bytes: written }
    },
    {
      ...(signal === undefined ? {} : { signal }),
      ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
    },
  )
}
