/**
 * The callbackUrl the sandbox gives a plugin (`/plugins/v1/<callbackToken>`), strict as seed 001:
 * `createAssets` makes placeholder assets (201 with a token and a signed `uploadUrl` each; a PUT
 * there with the bytes and their Content-Type finishes the asset), and a final
 * `{status: "success" | "failed", message?}` closes the invocation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SandboxContext } from '../context.ts'
import { HttpError, isRecord, readJson, sendJson } from '../http-util.ts'
import type { SandboxInvocation } from './plugin-state.ts'
import { pluginState } from './plugin-state.ts'

const mediaTypePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i
const maxAssetsPerCall = 100

interface PlaceholderRequest {
  readonly title: string
  readonly mediaType?: string
  readonly group: string | undefined
  readonly boardToken: string | undefined
}

/** Reads one `assets[i]` of createAssets, resolving `group` as seed 001 describes. */
function placeholderRequest(
  ctx: SandboxContext,
  invocation: SandboxInvocation,
  raw: unknown,
  index: number,
  count: number,
): PlaceholderRequest {
  if (!isRecord(raw)) throw new HttpError(422, `assets[${index}] must be an object`)
  const { title, mediaType, group, type } = raw
  if (typeof title !== 'string' || title.trim() === '' || title.length > 1000) {
    throw new HttpError(422, `assets[${index}].title is required (1-1000 characters)`)
  }
  if (
    mediaType !== undefined &&
    (typeof mediaType !== 'string' || !mediaTypePattern.test(mediaType))
  ) {
    throw new HttpError(422, `assets[${index}].mediaType must be a MIME type such as image/png`)
  }
  if (type !== undefined && type !== null && type !== '') {
    throw new HttpError(
      422,
      `assets[${index}].type: special asset types (such as note) are not supported by the sandbox`,
    )
  }
  if (group !== undefined && group !== null && typeof group !== 'string') {
    throw new HttpError(422, `assets[${index}].group must be an asset token, "new" or "none"`)
  }
  const inputs = invocation.assetTokens
  const fallbackBoard = ctx.assets.find(inputs[0] ?? '')?.collection_token
  const base = { title, ...(typeof mediaType === 'string' ? { mediaType } : {}) }
  if (group === 'new' || group === 'none')
    return { ...base, group: undefined, boardToken: fallbackBoard }
  if (typeof group === 'string' && group !== '') {
    if (!inputs.includes(group)) {
      throw new HttpError(
        422,
        `assets[${index}].group must be one of the invoked asset tokens, "new" or "none"`,
      )
    }
    return { ...base, group, boardToken: undefined }
  }
  // Blank: grouped with the input assets "when possible": the one at the same position, else the first.
  const implied = count === inputs.length ? inputs[index] : inputs[0]
  return { ...base, group: implied, boardToken: undefined }
}

async function createAssets(
  ctx: SandboxContext,
  invocation: SandboxInvocation,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<void> {
  if (invocation.status !== 'pending') {
    throw new HttpError(409, `invocation already finished with status ${invocation.status}`)
  }
  const { assets } = body
  if (!Array.isArray(assets) || assets.length === 0 || assets.length > maxAssetsPerCall) {
    throw new HttpError(422, `assets must be a list of 1-${maxAssetsPerCall} asset requests`)
  }
  const requests = assets.map((raw, i) =>
    placeholderRequest(ctx, invocation, raw, i, assets.length),
  )
  const created = []
  for (const request of requests) {
    const placeholder = await ctx.assets.createPlaceholder({
      title: request.title,
      ...(request.mediaType === undefined ? {} : { mediaType: request.mediaType }),
      ...(request.group === undefined ? {} : { group: request.group }),
      ...(request.boardToken === undefined ? {} : { boardToken: request.boardToken }),
    })
    invocation.created.push(placeholder.token)
    created.push({ token: placeholder.token, uploadUrl: placeholder.uploadUrl })
  }
  ctx.log(`plugin invocation ${invocation.token}: created ${created.length} placeholder(s)`)
  sendJson(res, 201, {
    pluginInvocationToken: invocation.token,
    operation: 'createAssets',
    assets: created,
  })
}

function setStatus(
  ctx: SandboxContext,
  invocation: SandboxInvocation,
  body: Record<string, unknown>,
  res: ServerResponse,
): void {
  const { status, message } = body
  if (status !== 'success' && status !== 'failed') {
    throw new HttpError(422, 'status must be "success" or "failed"')
  }
  if (message !== undefined && message !== null && typeof message !== 'string') {
    throw new HttpError(422, 'message must be a string')
  }
  if (invocation.status !== 'pending' && invocation.status !== status) {
    throw new HttpError(409, `invocation already finished with status ${invocation.status}`)
  }
  invocation.status = status
  invocation.message = typeof message === 'string' ? message : null
  if (status === 'failed') {
    for (const token of invocation.created) {
      if (ctx.assets.find(token)?.is_skeleton) {
        ctx.assets.failPlaceholder(token, invocation.message ?? 'the plugin failed')
      }
    }
  }
  ctx.log(`plugin invocation ${invocation.token}: status ${status}`)
  sendJson(res, 200, { pluginInvocationToken: invocation.token, status })
}

/** Serves `POST /plugins/v1/<callbackToken>`; returns false for other paths. */
export async function handleCallback(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const match = /^\/plugins\/v1\/([^/]+)$/.exec(url.pathname)
  if (match === null) return false
  if (req.method !== 'POST') throw new HttpError(405, 'use POST', { headers: { allow: 'POST' } })
  const invocation = pluginState(ctx).byCallback.get(match[1] ?? '')
  if (invocation === undefined) throw new HttpError(404, 'unknown plugin callback')
  const body = await readJson(req)
  if (typeof body.pluginInvocationToken !== 'string' || body.pluginInvocationToken === '') {
    throw new HttpError(422, 'pluginInvocationToken is required')
  }
  if (body.pluginInvocationToken !== invocation.token) {
    throw new HttpError(403, 'pluginInvocationToken does not match this callback')
  }
  if (body.operation === 'createAssets') {
    await createAssets(ctx, invocation, body, res)
    return true
  }
  if (body.operation === undefined || body.operation === 'setStatus' || 'status' in body) {
    setStatus(ctx, invocation, body, res)
    return true
  }
  throw new HttpError(422, 'operation must be "createAssets" (or send a status)')
}
