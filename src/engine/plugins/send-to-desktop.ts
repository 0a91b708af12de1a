/**
 * The "Send to desktop" plugin: downloads each invoked asset's original into the chosen folder
 * under a safe, never-overwriting name.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { downloadToPart } from './download-file.ts'
import { placeFile } from './place-file.ts'
import { forEachAsset, partFileName } from './plugin-run.ts'
import type { AssetOutcome, PluginRun } from './plugin-run.ts'
import { redactUrl } from './redact-url.ts'
import { safeFileNameParts } from './safe-file-name.ts'

/** Progress events at most this often per asset, plus the last one. */
const progressEveryMs = 200

/** Downloads every asset of the invocation; returns one outcome per asset, in order. */
export async function runSendToDesktop(run: PluginRun): Promise<readonly AssetOutcome[]> {
  await mkdir(run.dest, { recursive: true })
  await mkdir(run.partsDir, { recursive: true, mode: 0o700 })
  const token = run.invocation.pluginInvocationToken
  return forEachAsset(run, async (asset, index) => {
    const partPath = join(run.partsDir, partFileName(token, index, asset))
    let lastReport = 0
    run.update(index, { kind: 'downloading', bytesDone: 0, bytesTotal: null })
    const { bytes } = await downloadToPart({
      url: asset.url,
      partPath,
      retry: run.retry,
      signal: run.signal,
      fetch: run.fetch,
      maxBytes: run.maxAssetBytes,
      budget: run.budget,
      onProgress: ({ bytesDone, bytesTotal }) => {
        const now = Date.now()
        if (now - lastReport < progressEveryMs && bytesDone !== bytesTotal) return
        lastReport = now
        run.update(index, { kind: 'downloading', bytesDone, bytesTotal })
      },
      onRetry: (error, delayMs) =>
        run.log.warn('plugin download retrying', {
          asset: asset.token,
          url: redactUrl(asset.url),
          error: String(error),
          delayMs: Math.round(delayMs),
        }),
    })
    const path = await placeFile(partPath, run.dest, safeFileNameParts(asset.title, asset.type))
    run.log.info('plugin download saved', { asset: asset.token, bytes, path })
    await run.done(index, { path })
    return { kind: 'done' }
  })
}
