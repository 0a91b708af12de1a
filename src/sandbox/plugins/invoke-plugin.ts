/**
 * Sends a real seed-001 invocation to a plugin URL, as Playbook does when someone runs a plugin on
 * some assets: signed download URLs for the originals, 2000/1000/500 px thumbnails, and a
 * callbackUrl served by this sandbox. Driven by `POST /__sandbox/plugins/invoke`.
 */
import { extname } from 'node:path'
import mime from 'mime'
import type { SandboxAssetView, SandboxContext } from '../context.ts'
import { HttpError, isRecord } from '../http-util.ts'
import { randomId } from '../ids.ts'
import type { SandboxInvocation } from './plugin-state.ts'
import { pluginState } from './plugin-state.ts'
import { thumbnailOffers } from './thumbnails.ts'

/** How long the sandbox waits for a plugin to answer an invocation (Playbook asks for ~10 s). */
const answerTimeoutMs = 10_000
/** Signed URLs in an invocation last as long as Playbook's (24 h). */
const urlTtlSeconds = 24 * 3600

/** The file type Playbook would show for an asset: `.jpg`, `.png`, … from its media type or title. */
export function assetFileType(asset: SandboxAssetView): string {
  const ext = asset.media_type === null ? null : mime.getExtension(asset.media_type)
  if (ext !== null) return `.${ext}`
  const fromTitle = extname(asset.title).toLowerCase()
  return /^\.[a-z0-9]{1,10}$/.test(fromTitle) ? fromTitle : ''
}

function parseRequest(body: Record<string, unknown>): {
  readonly url: string
  readonly assets: readonly string[]
  readonly headers: Readonly<Record<string, string>>
} {
  const { url, assets, headers = {} } = body
  if (typeof url !== 'string')
    throw new HttpError(422, 'url is required (the plugin invocation URL)')
  try {
    const { protocol } = new URL(url)
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error('not http')
  } catch {
    throw new HttpError(422, 'url must be an http(s) URL')
  }
  if (!Array.isArray(assets) || assets.length === 0 || assets.length > 100) {
    throw new HttpError(422, 'assets must be a list of 1-100 asset tokens')
  }
  assets.forEach((token, i) => {
    if (typeof token !== 'string') throw new HttpError(422, `assets[${i}] must be an asset token`)
  })
  if (!isRecord(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new HttpError(422, 'headers must be an object of strings')
  }
  return { url, assets: assets as string[], headers: headers as Record<string, string> }
}

/** Sends (or re-sends) an invocation and records how the plugin answered. */
export async function deliver(ctx: SandboxContext, invocation: SandboxInvocation): Promise<void> {
  invocation.deliveries++
  try {
    const response = await fetch(invocation.url, {
      method: 'POST',
      headers: { ...invocation.headers, 'content-type': 'application/json' },
      body: invocation.body,
      signal: AbortSignal.timeout(answerTimeoutMs),
    })
    await response.body?.cancel()
    invocation.pluginStatus = response.status
    invocation.pluginError = null
    if (!response.ok && invocation.status === 'pending') {
      invocation.status = 'failed'
      invocation.message = `the plugin refused the invocation: HTTP ${response.status}`
    }
  } catch (error) {
    invocation.pluginStatus = null
    invocation.pluginError = error instanceof Error ? error.message : String(error)
    if (invocation.status === 'pending') {
      invocation.status = 'failed'
      invocation.message = `the plugin could not be reached: ${invocation.pluginError}`
    }
  }
  ctx.log(
    `plugin invocation ${invocation.token} delivered (#${invocation.deliveries}): ${invocation.pluginStatus ?? invocation.pluginError}`,
  )
}

/** Builds an invocation for the given assets, records it, sends it; answers with its token. */
export async function invokePlugin(
  ctx: SandboxContext,
  body: Record<string, unknown>,
): Promise<SandboxInvocation> {
  const request = parseRequest(body)
  const views = request.assets.map((token) => {
    const view = ctx.assets.find(token)
    if (view === undefined) throw new HttpError(404, `asset not found: ${token}`)
    if (view.is_skeleton || view.is_link || view.source_error !== null || view.size === null) {
      throw new HttpError(422, `asset ${token} has no stored file to hand to a plugin`)
    }
    return view
  })
  const token = randomId(24)
  const callbackToken = randomId(24)
  const assets = await Promise.all(
    views.map(async (view) => ({
      token: view.token,
      url: ctx.assets.signedDownloadUrl(view.token, urlTtlSeconds),
      title: view.title,
      type: assetFileType(view),
      thumbnails: await thumbnailOffers(ctx, view.token),
    })),
  )
  const invocation: SandboxInvocation = {
    token,
    callbackToken,
    url: request.url,
    headers: request.headers,
    body: JSON.stringify({
      pluginInvocationToken: token,
      callbackUrl: `${ctx.baseUrl}/plugins/v1/${callbackToken}`,
      operation: 'invokePlugin',
      assets,
    }),
    assetTokens: views.map((view) => view.token),
    status: 'pending',
    message: null,
    pluginStatus: null,
    pluginError: null,
    created: [],
    deliveries: 0,
  }
  const state = pluginState(ctx)
  state.byToken.set(token, invocation)
  state.byCallback.set(callbackToken, invocation)
  await deliver(ctx, invocation)
  return invocation
}
