/**
 * The URL ingest worker (seed 003): fetches each skeleton asset's `uri` over real HTTP in the
 * background and moves it to success (bytes stored, `media_type` from the response), or failed
 * (`source_error`). Pending skeletons are picked up again after a restart.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import mime from 'mime'
import { writeBlocks } from './block-writer.ts'
import type { SandboxStore } from './store.ts'

/** How many URLs are fetched at once. */
const CONCURRENCY = 4
/** A source that takes longer than this fails. */
const FETCH_TIMEOUT_MS = 60_000

/** The background fetcher. */
export class IngestWorker {
  private readonly store: SandboxStore
  private readonly log: (line: string) => void
  private readonly queue: string[] = []
  private readonly inflight = new Set<Promise<void>>()
  private readonly abort = new AbortController()
  private started = false

  constructor(store: SandboxStore, log: (line: string) => void) {
    this.store = store
    this.log = log
  }

  /** Starts working, first on skeletons left from a previous run. */
  start(): void {
    this.started = true
    for (const asset of Object.values(this.store.state.assets)) {
      if (asset.is_skeleton && asset.source_uri && !asset.is_link && !asset.awaiting_upload)
        this.queue.push(asset.token)
    }
    this.pump()
  }

  /** Queues an asset whose `source_uri` should be fetched. */
  enqueue(token: string): void {
    this.queue.push(token)
    if (this.started) this.pump()
  }

  /** Stops fetching and waits for in-flight work to end. */
  async stop(): Promise<void> {
    this.started = false
    this.abort.abort()
    await Promise.allSettled([...this.inflight])
  }

  private pump(): void {
    while (this.started && this.inflight.size < CONCURRENCY && this.queue.length > 0) {
      const token = this.queue.shift() as string
      const job = this.process(token).finally(() => {
        this.inflight.delete(job)
        this.pump()
      })
      this.inflight.add(job)
    }
  }

  private async process(token: string): Promise<void> {
    const { store } = this
    const asset = store.state.assets[token]
    if (!asset || !asset.is_skeleton || !asset.source_uri) return
    try {
      const res = await fetch(asset.source_uri, {
        redirect: 'follow',
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]),
      })
      if (!res.ok || !res.body) {
        await res.body?.cancel()
        asset.source_error = `HTTP ${res.status} from source`
      } else {
        const file = `blobs/url-${asset.token}`
        const path = store.path(file)
        await mkdir(dirname(path), { recursive: true })
        await writeFile(path, '')
        const hashes = { md5: createHash('md5'), sha256: createHash('sha256'), at: 0 }
        const result = await writeBlocks({
          source: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
          file: path,
          hashes,
          final: true,
        })
        if (!result.ended) throw new Error('the download was interrupted')
        const type = res.headers.get('content-type')?.split(';')[0]?.trim()
        asset.media_type =
          type || mime.getType(new URL(asset.source_uri).pathname) || 'application/octet-stream'
        asset.size = result.stored
        asset.file = file
        asset.sha256 = hashes.sha256.digest('hex')
        asset.md5 = hashes.md5.digest('base64')
        asset.source_error = null
      }
    } catch (error) {
      if (this.abort.signal.aborted) return
      const cause =
        error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
      asset.source_error = `could not fetch the source: ${error instanceof Error ? error.message : String(error)}${cause}`
    }
    asset.is_skeleton = false
    store.save()
    this.log(
      `ingest ${asset.token}: ${asset.source_error ?? `ok (${asset.media_type ?? '?'}, ${asset.size ?? 0} bytes)`}`,
    )
  }
}
