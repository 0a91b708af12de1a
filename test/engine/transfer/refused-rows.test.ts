/**
 * A completion row refused with a 4xx is final: failed with Playbook's message (or prepared
 * again when the upload expired), never sent again in a loop. The sandbox answers rows as
 * `{uuid, error: {status, message}}`; a proxy in front of it rewrites them to the other shape
 * the API allows, `{uuid, error: "message", status: 422}`.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createTransferQueue } from '../../../src/engine/transfer/queue.ts'
import { startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

/** Forwards to `target`; batch_upload_complete error rows become `{error: text, status}`. */
async function flatteningProxy(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v
      const answer = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length === 0 ? undefined : Buffer.concat(chunks),
      })
      let text = await answer.text()
      if ((req.url ?? '').endsWith('/batch_upload_complete')) {
        const body = JSON.parse(text) as { data: Record<string, unknown>[] }
        body.data = body.data.map((r) => {
          const e = r.error as { status: number; message: string } | undefined
          return e === undefined ? r : { uuid: r.uuid, error: e.message, status: e.status }
        })
        text = JSON.stringify(body)
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(text)
    })().catch(() => res.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('refused completion rows', () => {
  let world: World
  let proxy: { url: string; server: Server }
  beforeEach(async () => {
    world = await startWorld()
    proxy = await flatteningProxy(world.sandbox.url)
  })
  afterEach(async () => {
    proxy.server.closeAllConnections()
    await new Promise((r) => proxy.server.close(r))
    await world.close()
  })

  it('fails a row answered {error: "text", status: 422} at once, with the message', async () => {
    const files = await Promise.all([0, 1].map((i) => world.file(`r-${i}.txt`, 50 + i)))
    const db = openDatabase(':memory:')
    const client = createPlaybookClient({ baseUrl: proxy.url, getToken: () => world.token })
    const queue = createTransferQueue({ db, client, random: () => 0.5, completionGraceMs: 1000 })
    const ids = queue.enqueue(files.map((f, i) => world.request(f, `r-${i}.txt`)))
    queue.subscribe((e) => {
      if (e.type === 'job-changed' && e.job.id === ids[1] && e.job.state.kind === 'completing')
        queue.store.patch(e.job.id, { mediaType: 'image/png' })
    })
    queue.start()
    await queue.drained()
    const refused = queue.job(ids[1] ?? '')
    expect(refused?.state).toMatchObject({ kind: 'failed', retryable: false })
    expect(refused?.state.kind === 'failed' ? refused.state.reason : '').toMatch(/media_type/)
    expect(queue.job(ids[0] ?? '')?.state.kind).toBe('done')
    expect((await world.stats()).requests['POST /v1/:org/assets/batch_upload_complete']).toBe(1)
    await queue.stop()
    await client.close()
    db.close()
  })

  it('prepares again a row refused because the upload expired, then completes it once', async () => {
    const files = await Promise.all([0, 1].map((i) => world.file(`x-${i}.txt`, 70 + i)))
    const db = openDatabase(':memory:')
    const client = createPlaybookClient({ baseUrl: proxy.url, getToken: () => world.token })
    const queue = createTransferQueue({ db, client, random: () => 0.5, completionGraceMs: 1000 })
    const ids = queue.enqueue(files.map((f, i) => world.request(f, `x-${i}.txt`)))
    let expired = false
    queue.subscribe((e) => {
      if (!expired && e.type === 'job-changed' && e.job.state.kind === 'completing') {
        expired = true
        void world.admin('/__sandbox/clock', { advance_s: 25 * 3600 })
      }
    })
    queue.start()
    await queue.drained()
    for (const id of ids) expect(queue.job(id)?.state.kind).toBe('done')
    const titles = (await world.assets()).map((a) => a.title).sort()
    expect(titles).toEqual(['x-0.txt', 'x-1.txt'])
    await queue.stop()
    await client.close()
    db.close()
  })
})
