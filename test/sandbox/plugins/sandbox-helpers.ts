/**
 * Test helpers for the plugin tests: put real files into a running sandbox through its upload API
 * (seed 002 with a plain single PUT), read its admin API, and wait for an invocation to finish.
 */
import { createHash } from 'node:crypto'
import type { Sandbox } from '../../../src/sandbox/index.ts'

/** A created asset's token and the bytes it holds. */
export interface UploadedAsset {
  readonly token: string
  readonly bytes: Buffer
  readonly sha256: string
}

/** Uploads `bytes` as a new asset on `board` (default: the first seeded board). */
export async function uploadAsset(
  sandbox: Sandbox,
  input: {
    readonly title: string
    readonly mediaType: string
    readonly bytes: Buffer
    readonly board?: string
  },
): Promise<UploadedAsset> {
  const board = input.board ?? sandbox.boards[0]?.token ?? ''
  const api = `${sandbox.url}/v1/${sandbox.org}/assets`
  const headers = { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' }
  const asset = {
    title: input.title,
    media_type: input.mediaType,
    size: input.bytes.length,
    collection_token: board,
  }
  const prepared = await fetch(`${api}/upload_prepare`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ asset }),
  })
  if (!prepared.ok) throw new Error(`upload_prepare: ${prepared.status} ${await prepared.text()}`)
  const { data } = (await prepared.json()) as {
    data: { upload_url: string; signed_gcs_id: string }
  }
  const put = await fetch(data.upload_url, {
    method: 'PUT',
    headers: { 'content-type': input.mediaType },
    body: input.bytes,
  })
  if (!put.ok) throw new Error(`storage PUT: ${put.status} ${await put.text()}`)
  const completed = await fetch(`${api}/upload_complete`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ asset: { ...asset, signed_gcs_id: data.signed_gcs_id } }),
  })
  if (!completed.ok)
    throw new Error(`upload_complete: ${completed.status} ${await completed.text()}`)
  const done = (await completed.json()) as { data: { token: string } }
  return { token: done.data.token, bytes: input.bytes, sha256: sha256(input.bytes) }
}

/** Hex sha256, as the sandbox reports it. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** One invocation as `GET /__sandbox/plugins/<token>` shows it. */
export interface InvocationReport {
  readonly status: 'pending' | 'success' | 'failed'
  readonly message: string | null
  readonly plugin_status: number | null
  readonly deliveries: number
  readonly created_assets: readonly {
    readonly token: string
    readonly title: string
    readonly media_type: string | null
    readonly group: string | null
    readonly collection_token: string | null
    readonly is_skeleton: boolean | null
    readonly source_error: string | null
    readonly size: number | null
    readonly sha256: string | null
  }[]
}

/** Asks the sandbox to invoke a plugin URL on some assets; returns the invocation token and answer. */
export async function invoke(
  sandbox: Sandbox,
  url: string,
  assets: readonly string[],
  headers?: Record<string, string>,
): Promise<{ readonly pluginInvocationToken: string; readonly plugin_status: number | null }> {
  const res = await fetch(`${sandbox.url}/__sandbox/plugins/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, assets, ...(headers === undefined ? {} : { headers }) }),
  })
  if (res.status !== 200) throw new Error(`invoke: ${res.status} ${await res.text()}`)
  return (await res.json()) as { pluginInvocationToken: string; plugin_status: number | null }
}

/** The invocation's report from the sandbox. */
export async function report(sandbox: Sandbox, token: string): Promise<InvocationReport> {
  const res = await fetch(`${sandbox.url}/__sandbox/plugins/${token}`)
  if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`)
  return (await res.json()) as InvocationReport
}

/** Polls until the invocation is no longer pending (bounded: fails after `timeoutMs`). */
export async function waitForStatus(
  sandbox: Sandbox,
  token: string,
  timeoutMs = 20_000,
): Promise<InvocationReport> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const current = await report(sandbox, token)
    if (current.status !== 'pending') return current
    if (Date.now() > until)
      throw new Error(`invocation ${token} still pending after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * A fresh signed download URL for an asset, the way a plugin gets one: from a real invocation
 * the sandbox sends to a throwaway listener.
 */
export async function signedDownloadUrl(sandbox: Sandbox, token: string): Promise<string> {
  const { createServer } = await import('node:http')
  let found = ''
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        assets: { url: string }[]
      }
      found = body.assets[0]?.url ?? ''
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const port = (server.address() as { port: number }).port
    await invoke(sandbox, `http://127.0.0.1:${port}/`, [token])
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return found
}
