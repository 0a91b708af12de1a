/**
 * The picture of an asset Playbook made from a dropped link, for its activity row: the asset's
 * documented `display_url`, fetched by the engine (never by the renderer) through the same URL
 * policy the plugin host uses (Playbook's own hosts over https, or the configured loopback
 * sandbox; private addresses refused at connect time; no token sent), capped in size and checked
 * to be an image. The caller shrinks it to a small data: URL, so the renderer loads nothing remote.
 */
import type { PlaybookClient } from './playbook/client.ts'
import type { UrlPolicy } from './plugins/url-policy.ts'

/** Previews larger than this are not fetched (the row shows an icon). */
export const PREVIEW_MAX_BYTES = 20 * 1024 * 1024
const PREVIEW_TIMEOUT_MS = 20_000

/** What fetching a preview needs. */
export interface AssetPreviewDeps {
  readonly client: Pick<PlaybookClient, 'asset'>
  readonly policy: Pick<UrlPolicy, 'check' | 'fetch'>
}

/** The image bytes behind an asset's `display_url`, or null when there is none to show. */
export async function assetPreviewBytes(
  deps: AssetPreviewDeps,
  org: string,
  assetToken: string,
): Promise<Uint8Array | null> {
  const signal = AbortSignal.timeout(PREVIEW_TIMEOUT_MS)
  const asset = await deps.client.asset(org, assetToken, signal)
  const raw = (asset as { display_url?: unknown }).display_url
  if (typeof raw !== 'string' || raw === '') return null
  let url: URL
  try {
    url = deps.policy.check(raw, 'preview')
  } catch {
    return null
  }
  const res = await deps.policy.fetch(url.href, { signal })
  if (!res.ok || !res.body) return null
  const type = res.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('image/')) {
    await res.body.cancel()
    return null
  }
  const declared = Number(res.headers.get('content-length') ?? '0')
  if (declared > PREVIEW_MAX_BYTES) {
    await res.body.cancel()
    return null
  }
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength
    if (total > PREVIEW_MAX_BYTES) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
