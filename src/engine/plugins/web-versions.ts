/**
 * The "Make web versions" plugin: for each invoked image, a WebP whose longest side is at most
 * 2000 px (never upscaled), added to the board as a new asset grouped with its source.
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type Sharp from 'sharp'
import { putUpload } from './callback-client.ts'
import { downloadToPart } from './download-file.ts'
import { forEachAsset, partFileName } from './plugin-run.ts'
import type { AssetOutcome, PluginRun } from './plugin-run.ts'

/** The longest side of a web version, in pixels. */
export const webMaxSide = 2000

/** File types sharp's prebuilt binaries read. Anything else (notes, videos, PDFs) is skipped. */
const imageTypes = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.svg',
])

/** True when the asset's `type` is one the plugin can convert. */
export function isConvertibleImageType(type: string): boolean {
  return imageTypes.has(type.trim().toLowerCase())
}

/**
 * sharp, loaded on first use: its native binary may not load (an asar without the unpacked
 * binary, `--omit=optional`, another OS or CPU), and that must cost this plugin, not the app.
 */
async function loadSharp(): Promise<typeof Sharp> {
  try {
    const { default: sharp } = await import('sharp')
    return sharp
  } catch (error) {
    throw new Error(
      `image conversion is unavailable on this install (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    )
  }
}

/** Makes the WebP for one image file; fails with a clear message when the bytes are no image. */
export async function makeWebVersion(path: string): Promise<Buffer> {
  const sharp = await loadSharp()
  try {
    return await sharp(path)
      .rotate()
      .resize({ width: webMaxSide, height: webMaxSide, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer()
  } catch (error) {
    throw new Error(
      `not a readable image (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    )
  }
}

/** The title of an asset's web version. */
export function webVersionTitle(title: string): string {
  return `${title.trim() === '' ? 'Untitled' : title.trim()} (web)`
}

/** Converts and uploads every image of the invocation; one outcome per asset, in order. */
export async function runWebVersions(run: PluginRun): Promise<readonly AssetOutcome[]> {
  await mkdir(run.partsDir, { recursive: true, mode: 0o700 })
  const token = run.invocation.pluginInvocationToken
  return forEachAsset(run, async (asset, index): Promise<AssetOutcome> => {
    if (!isConvertibleImageType(asset.type)) {
      const reason = `not an image (type "${asset.type}")`
      run.update(index, { kind: 'skipped', reason })
      return { kind: 'skipped', reason }
    }
    const partPath = join(run.partsDir, `web-${partFileName(token, index, asset)}`)
    try {
      run.update(index, { kind: 'downloading', bytesDone: 0, bytesTotal: null })
      await downloadToPart({
        url: asset.url,
        partPath,
        retry: run.retry,
        signal: run.signal,
        fetch: run.fetch,
        maxBytes: run.maxAssetBytes,
        budget: run.budget,
      })
      run.update(index, { kind: 'converting' })
      const webp = await makeWebVersion(partPath)
      run.update(index, { kind: 'uploading' })
      const [placeholder] = await run.callback.createAssets([
        { title: webVersionTitle(asset.title), mediaType: 'image/webp', group: asset.token },
      ])
      if (placeholder === undefined) throw new Error('createAssets returned no placeholder')
      await putUpload({
        uploadUrl: placeholder.uploadUrl,
        bytes: webp,
        contentType: 'image/webp',
        retry: run.retry,
        signal: run.signal,
        fetch: run.fetch,
      })
      run.log.info('plugin web version uploaded', {
        asset: asset.token,
        created: placeholder.token,
        bytes: webp.length,
      })
      await run.done(index, { createdAssetToken: placeholder.token })
      return { kind: 'done' }
    } finally {
      if (!run.signal.aborted) await rm(partPath, { force: true })
    }
  })
}
