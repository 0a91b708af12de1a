/**
 * The sandbox's Plugin API side (seed 001): invoking a plugin URL, the callbackUrl
 * (createAssets, status), thumbnails, and the admin routes under /__sandbox/plugins:
 *  - `POST /__sandbox/plugins/invoke {"url", "assets": [tokens], "headers"?}` → `{pluginInvocationToken, plugin_status}`
 *  - `POST /__sandbox/plugins/<token>/redeliver` sends the identical invocation again (a Playbook retry)
 *  - `GET /__sandbox/plugins/<token>` → `{status, message, plugin_status, deliveries, created_assets}`
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SandboxContext } from '../context.ts'
import { drain, HttpError, readJson, sendJson } from '../http-util.ts'
import { handleCallback } from './callback-route.ts'
import { deliver, invokePlugin } from './invoke-plugin.ts'
import type { SandboxInvocation } from './plugin-state.ts'
import { pluginState } from './plugin-state.ts'
import { handleThumbnail } from './thumbnails.ts'

const adminPrefix = '/__sandbox/plugins'

function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? ''
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

function describe(ctx: SandboxContext, invocation: SandboxInvocation): Record<string, unknown> {
  return {
    pluginInvocationToken: invocation.token,
    status: invocation.status,
    message: invocation.message,
    plugin_status: invocation.pluginStatus,
    plugin_error: invocation.pluginError,
    deliveries: invocation.deliveries,
    assets: invocation.assetTokens,
    created_assets: invocation.created.map((token) => {
      const view = ctx.assets.find(token)
      return {
        token,
        title: view?.title ?? null,
        media_type: view?.media_type ?? null,
        group: view?.group ?? null,
        collection_token: view?.collection_token ?? null,
        is_skeleton: view?.is_skeleton ?? null,
        source_error: view?.source_error ?? null,
        size: view?.size ?? null,
        sha256: view?.sha256 ?? null,
      }
    }),
  }
}

async function handleAdmin(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (!isLoopback(req))
    throw new HttpError(403, 'the sandbox admin API answers loopback callers only')
  const rest = url.pathname
    .slice(adminPrefix.length)
    .split('/')
    .filter((s) => s !== '')
  const state = pluginState(ctx)
  if (rest.length === 1 && rest[0] === 'invoke' && req.method === 'POST') {
    const invocation = await invokePlugin(ctx, await readJson(req))
    return sendJson(res, 200, {
      pluginInvocationToken: invocation.token,
      plugin_status: invocation.pluginStatus,
    })
  }
  const invocation = state.byToken.get(rest[0] ?? '')
  if (rest.length === 1 && req.method === 'GET') {
    if (invocation === undefined)
      throw new HttpError(404, `unknown plugin invocation: ${rest[0] ?? ''}`)
    return sendJson(res, 200, describe(ctx, invocation))
  }
  if (rest.length === 2 && rest[1] === 'redeliver' && req.method === 'POST') {
    drain(req)
    if (invocation === undefined)
      throw new HttpError(404, `unknown plugin invocation: ${rest[0] ?? ''}`)
    await deliver(ctx, invocation)
    return sendJson(res, 200, {
      pluginInvocationToken: invocation.token,
      plugin_status: invocation.pluginStatus,
    })
  }
  throw new HttpError(404, 'no such plugin admin route')
}

/** Handles the request if it is a plugin route; returns false when it is not one. */
export async function handlePluginRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SandboxContext,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://sandbox')
  const path = url.pathname
  const mine =
    path === adminPrefix || path.startsWith(`${adminPrefix}/`) || path.startsWith('/plugins/')
  if (!mine) return false
  try {
    if (path.startsWith(adminPrefix)) await handleAdmin(ctx, req, res, url)
    else if (
      !(await handleCallback(ctx, req, res, url)) &&
      !(await handleThumbnail(ctx, req, res, url))
    ) {
      throw new HttpError(404, 'no such plugin route')
    }
  } catch (error) {
    drain(req)
    if (res.headersSent) {
      res.destroy()
    } else if (error instanceof HttpError) {
      sendJson(res, error.status, error.body ?? { error: error.message }, { ...error.headers })
    } else {
      ctx.log(`plugin route failed: ${error instanceof Error ? error.message : String(error)}`)
      sendJson(res, 500, { error: 'internal error' })
    }
  }
  return true
}
