/**
 * The sandbox's Plugin API side (seed 001): invoking a plugin URL, the callbackUrl
 * (createAssets, status) and the admin routes under /__sandbox/plugins. Placeholder until built.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Handles the request if it is a plugin route; returns false when it is not one. */
export async function handlePluginRequest(
  _req: IncomingMessage,
  _res: ServerResponse,
  _ctx: unknown,
): Promise<boolean> {
  return false
}
