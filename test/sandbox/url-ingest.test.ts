import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { adminAssets, api, bytes, eventually, sha256 } from './helpers.ts'

/** A real local HTTP server the worker fetches from. */
function sourceServer(): Promise<{ server: Server; url: string; png: Buffer }> {
  const png = bytes(40_000, 21)
  const server = createServer((req, res) => {
    if (req.url === '/hero.png') {
      res.writeHead(200, {
        'Content-Type': 'image/png; charset=binary',
        'Content-Length': png.length,
      })
      res.end(png)
    } else {
      res.writeHead(404)
      res.end('nope')
    }
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, png })
    })
  })
}

describe('sandbox URL ingest (seed 003)', () => {
  let sb: Sandbox
  let src: Awaited<ReturnType<typeof sourceServer>>
  beforeAll(async () => {
    sb = await startSandbox({ assetLimit: 8 })
    src = await sourceServer()
  })
  afterAll(async () => {
    await sb.close()
    await new Promise((r) => src.server.close(r))
  })

  const poll = (token: string) =>
    eventually(async () => {
      const res = await api(sb, 'GET', `/v1/${sb.org}/assets/${token}`)
      return res.body.data.is_skeleton ? undefined : res.body.data
    })

  it('answers with a skeleton, then the worker fetches the bytes (success)', async () => {
    const board = sb.boards[0]?.token as string
    const res = await api(sb, 'POST', `/api/v1/${sb.org}/assets`, {
      asset: { uri: `${src.url}/hero.png`, collection_token: board },
    })
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({
      is_skeleton: true,
      is_link: false,
      source_error: null,
      title: 'hero.png',
      collection_token: board,
    })
    const done = await poll(res.body.data.token)
    expect(done).toMatchObject({
      media_type: 'image/png',
      source_error: null,
      size: src.png.length,
    })
    const stored = (await adminAssets(sb, board)).find((a) => a.token === done.token)
    expect(stored?.sha256).toBe(sha256(src.png))
  })

  it('marks a source that answers 404 as failed with source_error', async () => {
    const res = await api(sb, 'POST', `/v1/${sb.org}/assets`, {
      asset: { uri: `${src.url}/missing.jpg`, title: 'Missing' },
    })
    const done = await poll(res.body.data.token)
    expect(done).toMatchObject({
      is_skeleton: false,
      source_error: 'HTTP 404 from source',
      media_type: null,
    })
  })

  it('stores as_link assets as links at once', async () => {
    const res = await api(sb, 'POST', `/v1/${sb.org}/assets`, {
      asset: { uri: 'https://example.invalid/a.jpg', as_link: true },
    })
    expect(res.body.data).toMatchObject({
      is_skeleton: false,
      is_link: true,
      display_url: 'https://example.invalid/a.jpg',
    })
  })

  it('rejects a missing uri (406) and a non-http uri (422)', async () => {
    expect((await api(sb, 'POST', `/v1/${sb.org}/assets`, { asset: { title: 'x' } })).status).toBe(
      406,
    )
    expect(
      (await api(sb, 'POST', `/v1/${sb.org}/assets`, { asset: { uri: 'file:///etc/passwd' } }))
        .status,
    ).toBe(422)
  })

  it('batch: 1–100 rows, 406 for a row without uri, all-or-nothing, asset limit 422', async () => {
    const url = `/v1/${sb.org}/assets/batch_create_from_urls`
    const before = (await adminAssets(sb)).length
    const rows = Array.from({ length: 101 }, (_, i) => ({ uri: `${src.url}/x${i}` }))
    expect((await api(sb, 'POST', url, { batch: { assets: rows } })).status).toBe(422)
    expect((await api(sb, 'POST', url, { batch: { assets: [] } })).status).toBe(422)
    const missing = await api(sb, 'POST', url, {
      batch: { assets: [{ uri: `${src.url}/hero.png` }, { uri: '  ' }] },
    })
    expect(missing.status).toBe(406)
    expect(missing.body.error).toContain('batch.assets[1].uri')
    const tooMany = await api(sb, 'POST', url, {
      batch: { assets: Array.from({ length: 6 }, () => ({ uri: `${src.url}/hero.png` })) },
    })
    expect(tooMany.status).toBe(422)
    expect(tooMany.body.error).toContain('limit')
    expect((await adminAssets(sb)).length).toBe(before)

    const ok = await api(sb, 'POST', url, {
      batch: {
        collection_token: sb.boards[1]?.token,
        assets: [
          { uuid: 'c1', uri: `${src.url}/hero.png`, title: 'Hero' },
          { uuid: 'c2', uri: `${src.url}/b.png`, as_link: true },
        ],
      },
    })
    expect(ok.status).toBe(200)
    expect(ok.body.data[0]).toMatchObject({
      uuid: 'c1',
      asset: { title: 'Hero', is_skeleton: true },
    })
    expect(ok.body.data[1]).toMatchObject({
      uuid: 'c2',
      asset: { is_skeleton: false, is_link: true },
    })
    expect(await poll(ok.body.data[0].asset.token)).toMatchObject({ media_type: 'image/png' })
  })
})
