/**
 * `/storage/…`: the GCS XML resumable protocol the signed `upload_url`s point at (seed 002), a
 * plain single PUT, signed downloads and the plugin placeholders' one-shot PUT.
 *
 * Choices (documented for clients): an expired signed URL is 400 (GCS `ExpiredToken`), a tampered
 * one 403; an unknown session is 404, an expired one (7 days of sandbox clock) 410. A chunk whose
 * start is not the stored offset stores nothing and gets 308 with the real Range. The final answer
 * is 200 `{kind, name, bucket, size (number), md5Hash (base64), contentType}`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createHash } from 'node:crypto'
import { assertNever } from '../shared/assert-never.ts'
import { BLOCK, writeBlocks } from './block-writer.ts'
import { HttpError, drain, readUpTo, sendJson } from './http-util.ts'
import type { StorageObject, StoredBlob, UploadSession } from './model.ts'
import type { Route, RouteContext } from './router.ts'
import { serveFile } from './serve-file.ts'
import { verifySignedUrl } from './signing.ts'
import type { StorageRuntime } from './storage.ts'

/** Builds the storage routes over a runtime. */
export function storageRoutes(runtime: StorageRuntime): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/storage/upload/:id',
      auth: 'none',
      handle: (ctx) => startSession(ctx, runtime),
    },
    {
      method: 'PUT',
      pattern: '/storage/upload/:id',
      auth: 'none',
      bodyFaults: true,
      handle: (ctx) => singlePut(ctx, runtime),
    },
    {
      method: 'PUT',
      pattern: '/storage/session/:id',
      auth: 'none',
      bodyFaults: true,
      handle: (ctx) => putChunk(ctx, runtime),
    },
    {
      method: 'DELETE',
      pattern: '/storage/session/:id',
      auth: 'none',
      handle: (ctx) => cancelSession(ctx),
    },
    {
      method: 'GET',
      pattern: '/storage/download/:token',
      auth: 'none',
      handle: (ctx) => download(ctx),
    },
    {
      method: 'HEAD',
      pattern: '/storage/download/:token',
      auth: 'none',
      handle: (ctx) => download(ctx),
    },
    {
      method: 'PUT',
      pattern: '/storage/put/:token',
      auth: 'none',
      handle: (ctx) => placeholderPut(ctx),
    },
  ]
}

function signedObject(ctx: RouteContext): StorageObject {
  const { store } = ctx
  verifySignedUrl(
    ctx.url.pathname,
    ctx.url.searchParams,
    store.state.secret,
    store.clock.now(),
    ctx.req.method ?? '',
  )
  const object = store.state.objects[ctx.params.id ?? '']
  if (!object) throw new HttpError(404, 'NoSuchUpload: unknown object')
  if (ctx.req.headers.authorization) {
    throw new HttpError(
      400,
      'signed URLs take no Authorization header (the signature is the credential)',
    )
  }
  return object
}

async function startSession(ctx: RouteContext, runtime: StorageRuntime): Promise<void> {
  drain(ctx.req)
  const object = signedObject(ctx)
  if ((ctx.req.headers['x-goog-resumable'] ?? '').toString().toLowerCase() !== 'start') {
    throw new HttpError(400, 'x-goog-resumable: start is required to open a resumable session')
  }
  const contentType = ctx.req.headers['content-type']
  if (!contentType) throw new HttpError(400, 'Content-Type is required')
  const meta = ctx.req.headers['x-goog-meta-encrypted-organization-metadata']
  if (object.encrypted_metadata && meta !== object.encrypted_metadata) {
    throw new HttpError(
      400,
      'x-goog-meta-encrypted-organization-metadata is missing or does not match',
    )
  }
  const session = await runtime.openSession(object, contentType)
  ctx.res.writeHead(201, {
    Location: `${ctx.store.baseUrl}/storage/session/${session.id}`,
    'Content-Length': 0,
  })
  ctx.res.end()
}

async function singlePut(ctx: RouteContext, runtime: StorageRuntime): Promise<void> {
  const object = signedObject(ctx)
  // Seed 003's PUT sends no metadata; one that is sent must be the object's (as on a session start).
  const meta = ctx.req.headers['x-goog-meta-encrypted-organization-metadata']
  if (meta !== undefined && meta !== object.encrypted_metadata) {
    throw new HttpError(400, 'x-goog-meta-encrypted-organization-metadata does not match')
  }
  const session = await runtime.openSession(
    object,
    ctx.req.headers['content-type'] ?? object.media_type,
  )
  await runtime.withLock(session.id, () => writeWhole(ctx, runtime, session, object, false))
}

function liveSession(ctx: RouteContext): UploadSession {
  const session = ctx.store.state.sessions[ctx.params.id ?? '']
  if (!session) throw new HttpError(404, 'NoSuchUpload: unknown upload session')
  if (ctx.store.clock.now() > session.expiresAtMs)
    throw new HttpError(410, 'the upload session has expired')
  return session
}

async function cancelSession(ctx: RouteContext): Promise<void> {
  drain(ctx.req)
  const session = liveSession(ctx)
  delete ctx.store.state.sessions[session.id]
  ctx.store.save()
  ctx.res.writeHead(499, { 'Content-Length': 0 })
  ctx.res.end()
}

type ParsedRange =
  | { readonly kind: 'none' }
  | { readonly kind: 'query'; readonly total: number | null }
  | {
      readonly kind: 'chunk'
      readonly first: number
      readonly last: number
      readonly total: number | null
    }

function parseContentRange(header: string | undefined): ParsedRange {
  if (header === undefined || header.trim() === '') return { kind: 'none' }
  const query = /^bytes \*\/(\d+|\*)$/.exec(header.trim())
  if (query) return { kind: 'query', total: query[1] === '*' ? null : Number(query[1]) }
  const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim())
  if (!chunk) throw new HttpError(400, `malformed Content-Range: ${header}`)
  const first = Number(chunk[1])
  const last = Number(chunk[2])
  if (last < first) throw new HttpError(400, `malformed Content-Range: ${header}`)
  return { kind: 'chunk', first, last, total: chunk[3] === '*' ? null : Number(chunk[3]) }
}

/** Applies an injected reset to a request that stores no bytes; true when it did. */
async function resetInstead(ctx: RouteContext): Promise<boolean> {
  if (ctx.fault?.action !== 'reset') return false
  await readUpTo(ctx.req, ctx.fault.after_bytes ?? 0)
  ctx.resetConnection()
  return true
}

async function putChunk(ctx: RouteContext, runtime: StorageRuntime): Promise<void> {
  const session = liveSession(ctx)
  const object = ctx.store.state.objects[session.objectId]
  if (!object) throw new HttpError(404, 'NoSuchUpload: the object is gone')
  await runtime.withLock(session.id, async () => {
    if (session.finalized && object.finalized) {
      if (await resetInstead(ctx)) return
      drain(ctx.req)
      sendObject(ctx, object, object.finalized)
      return
    }
    const range = parseContentRange(ctx.req.headers['content-range'])
    switch (range.kind) {
      case 'none':
        return writeWhole(ctx, runtime, session, object, true)
      case 'query': {
        if (await resetInstead(ctx)) return
        drain(ctx.req)
        if (range.total !== null && session.total !== null && range.total !== session.total) {
          throw new HttpError(
            400,
            `total ${range.total} differs from the session's ${session.total}`,
          )
        }
        if (range.total !== null && range.total === session.offset) {
          sendObject(ctx, object, await runtime.finalize(session, object))
          return
        }
        sendIncomplete(ctx, session)
        return
      }
      case 'chunk':
        return writeChunk(ctx, runtime, session, object, range)
      default:
        assertNever(range, 'Content-Range')
    }
  })
}

async function writeChunk(
  ctx: RouteContext,
  runtime: StorageRuntime,
  session: UploadSession,
  object: StorageObject,
  range: { first: number; last: number; total: number | null },
): Promise<void> {
  const length = range.last - range.first + 1
  const total = range.total ?? session.total
  if (range.total !== null && session.total !== null && range.total !== session.total) {
    drain(ctx.req)
    throw new HttpError(400, `total ${range.total} differs from the session's ${session.total}`)
  }
  if (total !== null && range.last + 1 > total) {
    drain(ctx.req)
    throw new HttpError(400, `Content-Range ends past the total size ${total}`)
  }
  const final = total !== null && range.last + 1 === total
  if (!final && length % BLOCK !== 0) {
    drain(ctx.req)
    throw new HttpError(
      400,
      `non-final chunks must be a multiple of ${BLOCK} bytes (got ${length})`,
    )
  }
  const declared = ctx.req.headers['content-length']
  if (declared !== undefined && Number(declared) !== length) {
    drain(ctx.req)
    throw new HttpError(
      400,
      `Content-Length ${declared} does not match Content-Range (${length} bytes)`,
    )
  }
  if (range.first !== session.offset) {
    if (await resetInstead(ctx)) return
    drain(ctx.req)
    sendIncomplete(ctx, session)
    return
  }
  if (range.total !== null) session.total = range.total
  const fault = ctx.fault
  const hashes = await runtime.hashesFor(session)
  const limit =
    fault?.action === 'reset'
      ? Math.min(length, fault.after_bytes ?? 0)
      : fault?.action === 'partial'
        ? Math.floor(Math.min(length, fault.after_bytes ?? 0) / BLOCK) * BLOCK
        : length
  const result = await writeBlocks({
    source: ctx.req as AsyncIterable<Buffer>,
    file: ctx.store.path(session.file),
    hashes,
    final: final && !fault,
    limit,
    atLimit: fault?.action === 'reset' ? 'stop' : 'drain',
    onBytes: (n) => {
      ctx.stats.bytesReceived += n
    },
  })
  session.offset += result.stored
  // Durable before the 308: a restarted sandbox resumes the session from here.
  await ctx.store.commit()
  if (fault?.action === 'reset') {
    ctx.resetConnection()
    return
  }
  if (!result.ended) {
    // The client went away mid-chunk: the whole blocks that arrived are kept.
    ctx.resetConnection()
    return
  }
  if (final && session.offset === total) {
    sendObject(ctx, object, await runtime.finalize(session, object))
    return
  }
  sendIncomplete(ctx, session)
}

/**
 * A PUT without Content-Range: the whole object from byte 0. On a session URL a `partial` fault
 * stores whole blocks and answers 308; on the signed upload URL (no session to resume) it is ignored.
 */
async function writeWhole(
  ctx: RouteContext,
  runtime: StorageRuntime,
  session: UploadSession,
  object: StorageObject,
  resumable: boolean,
): Promise<void> {
  const hashes = await runtime.restart(session)
  const reset = ctx.fault?.action === 'reset' ? ctx.fault : undefined
  const partial = resumable && ctx.fault?.action === 'partial' ? ctx.fault : undefined
  const result = await writeBlocks({
    source: ctx.req as AsyncIterable<Buffer>,
    file: ctx.store.path(session.file),
    hashes,
    final: !reset && !partial,
    limit: reset
      ? (reset.after_bytes ?? 0)
      : partial
        ? Math.floor((partial.after_bytes ?? 0) / BLOCK) * BLOCK
        : undefined,
    atLimit: reset ? 'stop' : 'drain',
    onBytes: (n) => {
      ctx.stats.bytesReceived += n
    },
  })
  session.offset += result.stored
  await ctx.store.commit()
  if (reset || !result.ended) {
    ctx.resetConnection()
    return
  }
  if (partial && result.stored < result.received) {
    sendIncomplete(ctx, session)
    return
  }
  sendObject(ctx, object, await runtime.finalize(session, object))
}

function sendIncomplete(ctx: RouteContext, session: UploadSession): void {
  const headers: Record<string, string | number> = { 'Content-Length': 0 }
  if (session.offset > 0) headers.Range = `bytes=0-${session.offset - 1}`
  ctx.res.writeHead(308, headers)
  ctx.res.end()
}

function sendObject(ctx: RouteContext, object: StorageObject, blob: StoredBlob): void {
  sendJson(ctx.res, 200, {
    kind: 'storage#object',
    bucket: 'playbook-sandbox',
    name: object.id,
    size: blob.size,
    md5Hash: blob.md5,
    contentType: blob.contentType,
  })
}

async function download(ctx: RouteContext): Promise<void> {
  const { store } = ctx
  verifySignedUrl(ctx.url.pathname, ctx.url.searchParams, store.state.secret, store.clock.now())
  const asset = store.state.assets[ctx.params.token ?? '']
  if (!asset || !asset.file) throw new HttpError(404, 'no stored bytes for this asset')
  await serveFile(
    ctx.req,
    ctx.res,
    store.path(asset.file),
    asset.size ?? 0,
    asset.media_type ?? 'application/octet-stream',
  )
}

async function placeholderPut(ctx: RouteContext): Promise<void> {
  const { store } = ctx
  verifySignedUrl(ctx.url.pathname, ctx.url.searchParams, store.state.secret, store.clock.now())
  const asset = store.state.assets[ctx.params.token ?? '']
  if (!asset) throw new HttpError(404, 'unknown placeholder asset')
  if (!asset.awaiting_upload) throw new HttpError(403, 'this upload URL was already used')
  asset.awaiting_upload = false
  const file = `blobs/put-${asset.token}`
  const path = store.path(file)
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, '')
  const hashes = { md5: createHash('md5'), sha256: createHash('sha256'), at: 0 }
  const result = await writeBlocks({
    source: ctx.req as AsyncIterable<Buffer>,
    file: path,
    hashes,
    final: true,
    onBytes: (n) => {
      ctx.stats.bytesReceived += n
    },
  })
  if (!result.ended) {
    asset.awaiting_upload = true
    ctx.resetConnection()
    return
  }
  const contentType = ctx.req.headers['content-type']
  asset.media_type = contentType ? contentType.split(';')[0]?.trim() || null : asset.media_type
  asset.size = result.stored
  asset.file = file
  asset.sha256 = hashes.sha256.digest('hex')
  asset.md5 = hashes.md5.digest('base64')
  asset.is_skeleton = false
  await store.commit()
  ctx.res.writeHead(200, { 'Content-Length': 0 })
  ctx.res.end()
}
