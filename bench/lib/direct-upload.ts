/**
 * The documented upload flow with nothing of ours in it: prepare, a resumable session, one PUT
 * of the whole file by a given sender, complete. The reference clients of the large-file section
 * (curl, and a bare Node client) share it, so they differ only in how the bytes are sent.
 */

/** Where the reference client uploads: the sandbox's API, organization, token and board. */
export interface DirectTarget {
  readonly api: string
  readonly org: string
  readonly token: string
  readonly board: string
}

/** Sends the whole file to a resumable session URL in one PUT; resolves with the HTTP status. */
export type SessionPut = (session: string, mediaType: string) => Promise<number>

const MEDIA_TYPE = 'application/octet-stream'

/** Uploads `size` bytes through prepare → session → `put` → complete; returns seconds. */
export async function directUpload(
  target: DirectTarget,
  title: string,
  size: number,
  put: SessionPut,
): Promise<number> {
  const api = `${target.api}/v1/${target.org}/assets`
  const headers = { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' }
  const started = performance.now()
  const prepareRes = await fetch(`${api}/upload_prepare`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ asset: { title, media_type: MEDIA_TYPE, size } }),
  })
  if (!prepareRes.ok) throw new Error(`${title}: prepare HTTP ${prepareRes.status}`)
  const prepared = (
    (await prepareRes.json()) as {
      data: { upload_url: string; signed_gcs_id: string; encrypted_organization_metadata?: string }
    }
  ).data
  const startHeaders: Record<string, string> = {
    'x-goog-resumable': 'start',
    'content-type': MEDIA_TYPE,
  }
  if (prepared.encrypted_organization_metadata) {
    startHeaders['x-goog-meta-encrypted-organization-metadata'] =
      prepared.encrypted_organization_metadata
  }
  const start = await fetch(prepared.upload_url, { method: 'POST', headers: startHeaders })
  await start.arrayBuffer()
  const session = start.headers.get('location')
  if (!session) throw new Error(`${title}: session start HTTP ${start.status} without Location`)
  const status = await put(session, MEDIA_TYPE)
  if (status !== 200 && status !== 201) throw new Error(`${title}: PUT answered ${status}`)
  const complete = await fetch(`${api}/upload_complete`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      asset: {
        signed_gcs_id: prepared.signed_gcs_id,
        title,
        media_type: MEDIA_TYPE,
        size,
        collection_token: target.board,
      },
    }),
  })
  if (!complete.ok) throw new Error(`${title}: complete HTTP ${complete.status}`)
  await complete.arrayBuffer()
  return (performance.now() - started) / 1000
}
