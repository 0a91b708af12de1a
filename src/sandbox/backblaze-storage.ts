/**
 * A second storage provider, shaped like Backblaze B2 behind Playbook (assumed: see
 * docs/storage-providers.md). Prepare answers `storage_provider: "backblaze"`: a small file gets
 * one signed `upload_url` for a single PUT of all its bytes; a large one gets a
 * `multipart_upload_id`, a `part_size` and one signed URL per part. Parts may arrive in any order
 * and again (the last PUT of a part wins); whenever every part is stored the object is assembled
 * anew, and completion must name the `multipart_upload_id`.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { HttpError, readJson, sendJson } from './http-util.ts'
import { randomId } from './ids.ts'
import type { StorageChoice, StorageObject } from './model.ts'
import { DEFAULT_STORAGE } from './model.ts'
import type { Route, RouteContext } from './router.ts'
import { signUrl, verifySignedUrl } from './signing.ts'
import { UPLOAD_URL_TTL_S } from './storage.ts'
import type { SandboxStore } from './store.ts'

/** A multipart upload in progress (kept on the storage object, persisted with it). */
export interface MultipartUpload {
  readonly id: string
  readonly partSize: number
  readonly partCount: number
  /** Part number → the bytes stored for it. */
  readonly parts: Record<string, { readonly file: string; readonly size: number }>
}

type ObjectWithParts = StorageObject & { multipart?: MultipartUpload }

/** The provider fields of a prepare answer for `object` under `choice` (GCS adds nothing). */
export function providerFields(
  store: SandboxStore,
  object: StorageObject,
  choice: StorageChoice,
): Record<string, unknown> {
  if (choice.provider === 'gcs') return { storage_provider: 'gcs' }
  const now = store.clock.now()
  if (object.size <= choice.partSize) return { storage_provider: 'backblaze' }
  const partCount = Math.ceil(object.size / choice.partSize)
  const multipart: MultipartUpload = {
    id: randomId(24),
    partSize: choice.partSize,
    partCount,
    parts: {},
  }
  ;(object as ObjectWithParts).multipart = multipart
  const parts = []
  for (let n = 1; n <= partCount; n++) {
    parts.push({
      part_number: n,
      url: signUrl(
        store.baseUrl,
        `/storage/parts/${object.id}/${n}`,
        store.state.secret,
        now,
        UPLOAD_URL_TTL_S,
      ),
    })
  }
  return {
    upload_url: null,
    storage_provider: 'backblaze',
    multipart_upload_id: multipart.id,
    part_size: choice.partSize,
    parts,
  }
}

/**
 * Completion's check for multipart objects: the row must name the upload's id (seed 003:
 * "required only for Backblaze multipart uploads"). Throws a 422 for this row otherwise.
 */
export function checkMultipartCompletion(
  object: StorageObject,
  row: Record<string, unknown>,
  where: string,
): void {
  const multipart = (object as ObjectWithParts).multipart
  if (multipart === undefined) return
  if (row.multipart_upload_id !== multipart.id) {
    throw new HttpError(
      422,
      `${where}multipart_upload_id is required for this upload and must match prepare's`,
    )
  }
}

/** Routes: part PUTs, and `/__sandbox/storage` to choose the provider at run time. */
export function backblazeRoutes(choose: (choice: StorageChoice) => void): Route[] {
  return [
    {
      method: 'PUT',
      pattern: '/storage/parts/:id/:n',
      auth: 'none',
      bodyFaults: true,
      handle: putPart,
    },
    {
      method: 'POST',
      pattern: '/__sandbox/storage',
      auth: 'none',
      handle: async (ctx) => {
        const body = await readJson(ctx.req)
        const provider = body.provider
        if (provider !== 'gcs' && provider !== 'backblaze')
          throw new HttpError(422, 'provider must be "gcs" or "backblaze"')
        const partSize = body.part_size ?? DEFAULT_STORAGE.partSize
        if (typeof partSize !== 'number' || !Number.isSafeInteger(partSize) || partSize < 1)
          throw new HttpError(422, 'part_size must be a positive integer')
        const method = body.upload_url_method ?? DEFAULT_STORAGE.uploadUrlMethod
        if (method !== 'any' && method !== 'POST' && method !== 'PUT')
          throw new HttpError(422, 'upload_url_method must be "any", "POST" or "PUT"')
        choose({ provider, partSize, uploadUrlMethod: method })
        sendJson(ctx.res, 200, {
          data: { provider, part_size: partSize, upload_url_method: method },
        })
      },
    },
  ]
}

async function putPart(ctx: RouteContext): Promise<void> {
  const { store } = ctx
  verifySignedUrl(ctx.url.pathname, ctx.url.searchParams, store.state.secret, store.clock.now())
  const object = store.state.objects[ctx.params.id ?? ''] as ObjectWithParts | undefined
  const multipart = object?.multipart
  if (object === undefined || multipart === undefined)
    throw new HttpError(404, 'NoSuchUpload: unknown multipart upload')
  const n = Number(ctx.params.n)
  if (!Number.isSafeInteger(n) || n < 1 || n > multipart.partCount)
    throw new HttpError(404, `no part ${String(ctx.params.n)} in this upload`)
  const want =
    n < multipart.partCount ? multipart.partSize : object.size - (n - 1) * multipart.partSize
  const file = `parts/${object.id}/${n}-${randomId(8)}`
  const path = store.path(file)
  await mkdir(dirname(path), { recursive: true })
  let received = 0
  const md5 = createHash('md5')
  const fault = ctx.fault
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length
      if (received > want) {
        done(new HttpError(400, `part ${n} is longer than ${want} bytes`))
        return
      }
      if (fault?.action === 'reset' && received >= (fault.after_bytes ?? 0)) {
        ctx.resetConnection()
        done(new Error('injected reset'))
        return
      }
      md5.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(ctx.req, counter, createWriteStream(path))
  } catch (error) {
    await rm(path, { force: true })
    throw error
  }
  if (received !== want) {
    await rm(path, { force: true })
    throw new HttpError(400, `part ${n} must be ${want} bytes, got ${received}`)
  }
  const previous = multipart.parts[String(n)]
  multipart.parts[String(n)] = { file, size: received }
  if (previous !== undefined) await rm(store.path(previous.file), { force: true })
  if (Object.keys(multipart.parts).length === multipart.partCount) {
    // One assembly at a time per object: parts that finish together must not read each other's
    // half-written blob.
    const previousRun = assembling.get(object.id) ?? Promise.resolve()
    const run = previousRun.then(() => assemble(store, object))
    const settled = run.catch(() => undefined)
    assembling.set(object.id, settled)
    try {
      await run
    } finally {
      if (assembling.get(object.id) === settled) assembling.delete(object.id)
    }
  }
  await store.commit()
  const etag = `"${md5.digest('hex')}"`
  ctx.res.writeHead(200, { ETag: etag, 'Content-Type': 'application/json' })
  ctx.res.end(JSON.stringify({ part_number: n, etag }))
}

const assembling = new Map<string, Promise<unknown>>()

/** Concatenates the parts into the object's blob (what B2's finish_large_file does). */
async function assemble(store: SandboxStore, object: ObjectWithParts): Promise<void> {
  const multipart = object.multipart as MultipartUpload
  // A fresh name each time: an asset made from an earlier assembly keeps its bytes.
  const file = `blobs/${object.id}-multipart-${randomId(6)}`
  await mkdir(dirname(store.path(file)), { recursive: true })
  const sha256 = createHash('sha256')
  const md5 = createHash('md5')
  let size = 0
  async function* partsInOrder(): AsyncGenerator<Buffer> {
    for (let n = 1; n <= multipart.partCount; n++) {
      const part = multipart.parts[String(n)]
      if (part === undefined) throw new Error(`part ${n} vanished`)
      for await (const chunk of createReadStream(store.path(part.file)) as AsyncIterable<Buffer>) {
        sha256.update(chunk)
        md5.update(chunk)
        size += chunk.length
        yield chunk
      }
    }
  }
  await pipeline(partsInOrder, createWriteStream(store.path(file)))
  object.finalized = {
    file,
    size,
    md5: md5.digest('base64'),
    sha256: sha256.digest('hex'),
    contentType: object.media_type,
  }
}
