/**
 * Thumbnails for plugin invocations: seed 001 offers each invoked asset at 2000, 1000 and 500 px
 * wide. The sandbox renders them with sharp from the stored image, on request, behind signed,
 * expiring URLs (`/plugins/thumbnails/<asset>/<width>?expires=…&signature=…`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import sharp from 'sharp'
import type { SandboxContext } from '../context.ts'
import { HttpError } from '../http-util.ts'
import { pluginState } from './plugin-state.ts'

/** The widths seed 001 promises. */
export const thumbnailWidths = [2000, 1000, 500] as const

/** One thumbnail, as put into an invocation. */
export interface ThumbnailOffer {
  readonly url: string
  readonly width: number
  readonly height: number
  readonly type: string
}

const ttlSeconds = 3600
const maxProbeBytes = 256 * 1024 * 1024
const maxCached = 64
const prefix = '/plugins/thumbnails/'

function sign(key: Buffer, asset: string, width: number, expires: number): string {
  return createHmac('sha256', key).update(`${asset}/${width}/${expires}`).digest('hex')
}

/** Width and height as displayed (EXIF orientation applied); undefined when not an image. */
export async function imageSize(
  ctx: SandboxContext,
  asset: string,
): Promise<{ readonly width: number; readonly height: number } | undefined> {
  const view = ctx.assets.find(asset)
  // sharp buffers a streamed input: probe only what claims to be an image of a sane size.
  if (!view?.media_type?.startsWith('image/') || (view.size ?? 0) > maxProbeBytes) return undefined
  const bytes = await ctx.assets.openBytes(asset)
  if (bytes === undefined) return undefined
  const reader = sharp()
  bytes.stream.on('error', (error) => reader.destroy(error)).pipe(reader)
  try {
    const meta = await reader.metadata()
    if (meta.width === undefined || meta.height === undefined) return undefined
    const turned = (meta.orientation ?? 1) >= 5
    return turned
      ? { width: meta.height, height: meta.width }
      : { width: meta.width, height: meta.height }
  } catch {
    return undefined
  } finally {
    bytes.stream.destroy()
  }
}

function fitWidth(
  size: { width: number; height: number },
  width: number,
): { width: number; height: number } {
  const w = Math.min(width, size.width)
  return { width: w, height: Math.max(1, Math.round((size.height * w) / size.width)) }
}

/** The thumbnail offers for an asset: three for an image, none for anything else. */
export async function thumbnailOffers(
  ctx: SandboxContext,
  asset: string,
): Promise<readonly ThumbnailOffer[]> {
  const size = await imageSize(ctx, asset)
  if (size === undefined) return []
  const { key } = pluginState(ctx)
  const expires = Math.floor(ctx.clock.now() / 1000) + ttlSeconds
  return thumbnailWidths.map((wanted) => {
    const { width, height } = fitWidth(size, wanted)
    const signature = sign(key, asset, wanted, expires)
    return {
      url: `${ctx.baseUrl}${prefix}${asset}/${wanted}?expires=${expires}&signature=${signature}`,
      width,
      height,
      type: '.jpg',
    }
  })
}

async function render(
  ctx: SandboxContext,
  asset: string,
  wanted: number,
): Promise<Buffer | undefined> {
  const size = await imageSize(ctx, asset)
  const bytes = size === undefined ? undefined : await ctx.assets.openBytes(asset)
  if (size === undefined || bytes === undefined) return undefined
  const { width, height } = fitWidth(size, wanted)
  const pipeline = sharp()
    .rotate()
    .resize(width, height, { fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
  bytes.stream.on('error', (error) => pipeline.destroy(error)).pipe(pipeline)
  return pipeline.toBuffer()
}

/** Serves `GET /plugins/thumbnails/…`; returns false for other paths. */
export async function handleThumbnail(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (!url.pathname.startsWith(prefix)) return false
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET')
  const [asset = '', widthText = '', ...rest] = url.pathname.slice(prefix.length).split('/')
  const wanted = Number(widthText)
  if (rest.length > 0 || !(thumbnailWidths as readonly number[]).includes(wanted)) {
    throw new HttpError(404, 'no such thumbnail')
  }
  const expires = Number(url.searchParams.get('expires') ?? NaN)
  const given = Buffer.from(url.searchParams.get('signature') ?? '')
  const want = Buffer.from(sign(pluginState(ctx).key, asset, wanted, expires))
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new HttpError(403, 'SignatureDoesNotMatch: the thumbnail signature does not match')
  }
  if (!Number.isFinite(expires) || ctx.clock.now() > expires * 1000) {
    throw new HttpError(400, 'ExpiredToken: the thumbnail URL has expired')
  }
  const { thumbnails } = pluginState(ctx)
  const cacheKey = `${asset}/${wanted}`
  let body = thumbnails.get(cacheKey)
  if (body === undefined) {
    body = await render(ctx, asset, wanted)
    if (body === undefined) {
      // Not an image: the original stands in for its thumbnail.
      const original = await ctx.assets.openBytes(asset)
      if (original === undefined) throw new HttpError(404, 'asset has no stored bytes')
      res.writeHead(200, { 'content-type': original.mediaType, 'content-length': original.size })
      if (req.method === 'HEAD') {
        original.stream.destroy()
        res.end()
      } else {
        original.stream.pipe(res)
      }
      return true
    }
    if (thumbnails.size >= maxCached) thumbnails.delete(thumbnails.keys().next().value ?? '')
    thumbnails.set(cacheKey, body)
  }
  res.writeHead(200, {
    'content-type': 'image/jpeg',
    'content-length': body.length,
    'cache-control': 'private, max-age=3600',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
  return true
}
