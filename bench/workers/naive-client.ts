/**
 * The baseline for the small-files benchmark: a straightforward client that does, per file,
 * upload_prepare → start a resumable session → PUT the bytes → upload_complete, N files at a time,
 * with no batching (what a simple script against the documented API does).
 *   --api URL --token T --org SLUG --board TOKEN --list FILE_WITH_PATHS [--concurrency 4]
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { runMain, send, workerArgs } from './protocol.ts'

interface Prepared {
  readonly upload_url: string
  readonly signed_gcs_id: string
  readonly encrypted_organization_metadata?: string | null
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`)
  return res
}

runMain(async () => {
  const args = workerArgs(['api', 'token', 'org', 'board', 'list'], ['concurrency'])
  const paths = (await readFile(args.list, 'utf8')).split('\n').filter(Boolean)
  const concurrency = Number(args.concurrency ?? 4)
  const api = `${args.api}/v1/${args.org}/assets`
  const auth = { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' }
  const mediaType = 'application/octet-stream'

  const uploadOne = async (path: string): Promise<void> => {
    const bytes = await readFile(path)
    const title = basename(path)
    const prepareRes = await expectOk(
      await fetch(`${api}/upload_prepare`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ asset: { title, media_type: mediaType, size: bytes.length } }),
      }),
      'upload_prepare',
    )
    const prepared = ((await prepareRes.json()) as { data: Prepared }).data
    const startHeaders: Record<string, string> = {
      'x-goog-resumable': 'start',
      'content-type': mediaType,
    }
    if (prepared.encrypted_organization_metadata) {
      startHeaders['x-goog-meta-encrypted-organization-metadata'] =
        prepared.encrypted_organization_metadata
    }
    const start = await expectOk(
      await fetch(prepared.upload_url, { method: 'POST', headers: startHeaders }),
      'session start',
    )
    await start.arrayBuffer()
    const session = start.headers.get('location')
    if (!session) throw new Error('session start: no Location header')
    const put = await expectOk(
      await fetch(session, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes }),
      'PUT',
    )
    await put.arrayBuffer()
    const complete = await expectOk(
      await fetch(`${api}/upload_complete`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          asset: {
            signed_gcs_id: prepared.signed_gcs_id,
            title,
            media_type: mediaType,
            size: bytes.length,
            collection_token: args.board,
          },
        }),
      }),
      'upload_complete',
    )
    await complete.arrayBuffer()
  }

  const started = performance.now()
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < paths.length) await uploadOne(paths[next++] as string)
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  send('done', { elapsedMs: performance.now() - started, files: paths.length })
})
