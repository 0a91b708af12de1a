import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import {
  admin,
  adminAssets,
  api,
  bytes,
  prepare,
  sha256,
  startSession,
  uploadObject,
} from './helpers.ts'

describe('sandbox API: identity, upload_prepare / upload_complete and batches', () => {
  let sb: Sandbox
  beforeAll(async () => {
    sb = await startSandbox()
  })
  afterAll(async () => {
    await sb.close()
  })

  it('prints a seeded identity with a nested board', async () => {
    expect(sb.info).toEqual({
      url: sb.url,
      org: 'sandbox-studio',
      token: sb.token,
      readToken: sb.readToken,
      integrationToken: sb.integrationToken,
      boards: sb.boards,
    })
    expect(sb.boards.length).toBeGreaterThanOrEqual(3)
    const all = await api(sb, 'GET', `/v1/${sb.org}/boards?depth=all`)
    expect(all.body.data.some((b: { parent_id: number | null }) => b.parent_id !== null)).toBe(true)
    const top = await api(sb, 'GET', `/v1/${sb.org}/boards`)
    expect(top.body.data.every((b: { tree_depth: number }) => b.tree_depth === 0)).toBe(true)
  })

  it('requires a bearer token (401) and the write scope for writes (403), on /v1 and /api/v1', async () => {
    expect((await api(sb, 'GET', '/v1/organizations', undefined, null)).status).toBe(401)
    expect((await api(sb, 'GET', '/v1/organizations', undefined, 'pb_wrong')).status).toBe(401)
    expect((await api(sb, 'GET', '/api/v1/organizations', undefined, null)).status).toBe(401)
    const orgs = await api(sb, 'GET', '/api/v1/organizations', undefined, sb.readToken)
    expect(orgs.status).toBe(200)
    expect(orgs.body.data).toEqual([
      expect.objectContaining({ slug: 'sandbox-studio', name: 'Sandbox Studio' }),
    ])
    const write = await api(
      sb,
      'POST',
      `/v1/${sb.org}/assets/upload_prepare`,
      { asset: { title: 'a', media_type: 'text/plain', size: 1 } },
      sb.readToken,
    )
    expect(write.status).toBe(403)
    expect(write.body.error).toContain('write')
    expect((await api(sb, 'GET', '/v1/other-org/boards')).status).toBe(404)
  })

  it('pages boards with pagy and filters by query', async () => {
    const page = await api(sb, 'GET', `/v1/${sb.org}/boards?depth=all&per_page=2&page=2`)
    expect(page.body.pagy).toMatchObject({ current_page: 2, page_items: 2, total_pages: 2 })
    const found = await api(sb, 'GET', `/v1/${sb.org}/boards?depth=all&query=social`)
    expect(found.body.data.map((b: { title: string }) => b.title)).toEqual(['Social Cutdowns'])
  })

  it('names the missing or invalid field in prepare (422)', async () => {
    const url = `/v1/${sb.org}/assets/upload_prepare`
    expect((await api(sb, 'POST', url, {})).body.error).toContain('asset')
    const noType = await api(sb, 'POST', url, { asset: { title: 'x.jpg', size: 3 } })
    expect(noType.status).toBe(422)
    expect(noType.body.error).toContain('media_type')
    const badSize = await api(sb, 'POST', url, {
      asset: { title: 'x.jpg', media_type: 'image/jpeg', size: -1 },
    })
    expect(badSize.status).toBe(422)
    expect(badSize.body.error).toContain('size')
    const ok = await api(sb, 'POST', `/api/v1/${sb.org}/assets/upload_prepare`, {
      asset: { title: 'x.jpg', media_type: 'image/jpeg', size: 3 },
    })
    expect(ok.body.data).toMatchObject({ file_extension: 'jpg', storage_provider: 'gcs' })
    expect(ok.body.data.encrypted_organization_metadata).toBeTruthy()
  })

  it('completes onto a board, checks size and type, and 404s for objects not in storage', async () => {
    const data = bytes(1234, 9)
    const gcs = await uploadObject(sb, 'photo.jpg', data, 'image/jpeg')
    const url = `/v1/${sb.org}/assets/upload_complete`
    const board = sb.boards[1]?.token as string
    expect(
      (
        await api(sb, 'POST', url, {
          asset: { signed_gcs_id: gcs, title: 'photo.jpg', media_type: 'image/png', size: 1234 },
        })
      ).status,
    ).toBe(422)
    expect(
      (
        await api(sb, 'POST', url, {
          asset: { signed_gcs_id: gcs, title: 'photo.jpg', media_type: 'image/jpeg', size: 1 },
        })
      ).status,
    ).toBe(422)
    expect(
      (
        await api(sb, 'POST', url, {
          asset: { signed_gcs_id: gcs, title: 'p', board_token: 'nope' },
        })
      ).status,
    ).toBe(404)
    const pending = await prepare(sb, 'pending.bin', 10)
    await startSession(pending)
    expect(
      (await api(sb, 'POST', url, { asset: { signed_gcs_id: pending.signed_gcs_id, title: 'p' } }))
        .status,
    ).toBe(404)
    expect(
      (await api(sb, 'POST', url, { asset: { signed_gcs_id: 'unknown', title: 'p' } })).status,
    ).toBe(404)

    const done = await api(sb, 'POST', url, {
      asset: {
        signed_gcs_id: gcs,
        title: 'photo.jpg',
        description: 'hi',
        media_type: 'image/jpeg',
        size: 1234,
        collection_token: board,
      },
    })
    expect(done.status).toBe(200)
    const asset = done.body.data
    expect(asset).toMatchObject({
      title: 'photo.jpg',
      description: 'hi',
      collection_token: board,
      media_type: 'image/jpeg',
      size: 1234,
      is_skeleton: false,
      is_link: false,
      source_error: null,
    })
    expect(asset).not.toHaveProperty('signed_gcs_id')
    for (const key of ['id', 'token', 'display_url', 'created_at']) expect(asset[key]).toBeTruthy()
    expect(
      (await api(sb, 'GET', `/v1/${sb.org}/assets/${asset.token}`, undefined, sb.readToken)).body
        .data.token,
    ).toBe(asset.token)
    const listed = await api(sb, 'GET', `/v1/${sb.org}/boards/${board}/assets`)
    expect(listed.body.data.map((a: { token: string }) => a.token)).toContain(asset.token)
    expect(listed.body.pagy.total_count).toBeGreaterThanOrEqual(1)
    const file = await fetch(asset.display_url)
    expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(data))
  })

  it('puts uploads without a board on "Uploaded today" and counts repeated completions as duplicates', async () => {
    const own = await startSandbox()
    try {
      const gcs = await uploadObject(own, 'twice.bin', bytes(10))
      const complete = () =>
        api(own, 'POST', `/v1/${own.org}/assets/upload_complete`, {
          asset: { signed_gcs_id: gcs, title: 'twice.bin' },
        })
      const a = await complete()
      const b = await complete()
      expect(a.body.data.token).not.toBe(b.body.data.token)
      const boards = await api(own, 'GET', `/v1/${own.org}/boards`)
      const today = boards.body.data.find((x: { title: string }) => x.title === 'Uploaded today')
      expect(a.body.data.collection_token).toBe(today.token)
      const stats = (await admin(own, 'GET', 'stats')).body
      expect(stats).toMatchObject({ duplicates: 1, assets: 2 })
      expect(stats.requests['POST /v1/:org/assets/upload_complete']).toBe(2)
      expect(stats.requests['POST /v1/:org/assets/upload_prepare']).toBe(1)
      expect(stats.storage_requests).toBe(2)
      expect(stats.bytes_received).toBe(10)
      await api(own, 'GET', '/api/v1/organizations')
      await api(own, 'GET', '/v1/organizations')
      const after = (await admin(own, 'GET', 'stats')).body
      expect(after.requests['GET /v1/organizations']).toBe(2)
      expect(after.api_requests).toBe(stats.api_requests + 2)
      expect(Object.keys(after.requests).some((k) => k.includes('__sandbox'))).toBe(false)
    } finally {
      await own.close()
    }
  })

  it('answers 400 for malformed JSON and 404 for unknown assets and boards', async () => {
    const res = await fetch(`${sb.url}/v1/${sb.org}/assets/upload_prepare`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' },
      body: '{"asset":',
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain('JSON')
    expect((await api(sb, 'GET', `/v1/${sb.org}/assets/nope`)).status).toBe(404)
    expect((await api(sb, 'GET', `/v1/${sb.org}/boards/nope/assets`)).status).toBe(404)
    const clamped = await api(sb, 'GET', `/v1/${sb.org}/boards?per_page=1000`)
    expect(clamped.body.pagy.total_pages).toBe(1)
  })

  it('enforces the asset limit (422) and the 24 h upload window (422) on completion', async () => {
    const own = await startSandbox({ assetLimit: 1 })
    try {
      const complete = (gcs: string) =>
        api(own, 'POST', `/v1/${own.org}/assets/upload_complete`, {
          asset: { signed_gcs_id: gcs, title: 't' },
        })
      expect((await complete(await uploadObject(own, 'a.bin', bytes(5)))).status).toBe(200)
      const over = await complete(await uploadObject(own, 'b.bin', bytes(5)))
      expect(over.status).toBe(422)
      expect(over.body.error).toContain('limit')
    } finally {
      await own.close()
    }
    const late = await startSandbox()
    try {
      const gcs = await uploadObject(late, 'late.bin', bytes(5))
      await admin(late, 'POST', 'clock', { advance_s: 25 * 3600 })
      const res = await api(late, 'POST', `/v1/${late.org}/assets/upload_complete`, {
        asset: { signed_gcs_id: gcs },
      })
      expect(res.status).toBe(422)
      expect(res.body.error).toContain('expired')
    } finally {
      await late.close()
    }
  })

  it('batch prepare: 1–100 rows, names bad fields, infers the media type', async () => {
    const url = `/v1/${sb.org}/assets/batch_upload_prepare`
    expect((await api(sb, 'POST', url, { batch: { assets: [] } })).status).toBe(422)
    const many = Array.from({ length: 101 }, (_, i) => ({
      uuid: `u${i}`,
      title: `f${i}.png`,
      size: 1,
    }))
    expect((await api(sb, 'POST', url, { batch: { assets: many } })).status).toBe(422)
    const bad = await api(sb, 'POST', url, {
      batch: {
        assets: [
          { uuid: 'a', title: 'a.png', size: 1 },
          { uuid: 'b', size: 1 },
        ],
      },
    })
    expect(bad.status).toBe(422)
    expect(bad.body.error).toContain('batch.assets[1].title')
    const ok = await api(sb, 'POST', url, {
      batch: { assets: [{ uuid: 'a', title: 'a.png', size: 1 }] },
    })
    expect(ok.body.data.batch_id).toBeTruthy()
    expect(ok.body.data.assets[0]).toMatchObject({
      uuid: 'a',
      file_extension: 'png',
      storage_provider: 'gcs',
    })
  })

  it('batch complete: rows succeed or fail one by one; 404 when no object is in storage', async () => {
    const board = sb.boards[0]?.token as string
    const prep = await api(sb, 'POST', `/v1/${sb.org}/assets/batch_upload_prepare`, {
      batch: {
        assets: [
          { uuid: 'one', title: 'one.txt', size: 3, media_type: 'text/plain' },
          { uuid: 'two', title: 'two.txt', size: 3, media_type: 'text/plain' },
        ],
      },
    })
    const [one, two] = prep.body.data.assets
    const put = await fetch(one.upload_url, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: 'abc',
    })
    expect(put.status).toBe(200)
    const rows = [
      {
        uuid: 'one',
        signed_gcs_id: one.signed_gcs_id,
        title: 'one.txt',
        media_type: 'text/plain',
        width: 1,
        height: 1,
      },
      { uuid: 'two', signed_gcs_id: two.signed_gcs_id, title: 'two.txt' },
    ]
    const url = `/v1/${sb.org}/assets/batch_upload_complete`
    const mixed = await api(sb, 'POST', url, {
      batch: { batch_id: prep.body.data.batch_id, collection_token: board, assets: rows },
    })
    expect(mixed.status).toBe(200)
    expect(mixed.body.data[0]).toMatchObject({
      uuid: 'one',
      asset: { title: 'one.txt', collection_token: board },
    })
    expect(mixed.body.data[1]).toMatchObject({ uuid: 'two', error: { status: 404 } })
    const none = await api(sb, 'POST', url, { batch: { assets: [rows[1]] } })
    expect(none.status).toBe(404)
    expect(none.body.data[0]).toMatchObject({ uuid: 'two', error: { status: 404 } })
    expect((await api(sb, 'POST', url, { batch: { assets: [] } })).status).toBe(422)
    expect(
      (await api(sb, 'POST', url, { batch: { collection_id: 999999, assets: [rows[1]] } })).status,
    ).toBe(404)
    const stored = (await adminAssets(sb, board)).filter((a) => a.title === 'one.txt')
    expect(stored).toHaveLength(1)
    expect(stored[0]?.sha256).toBe(sha256(Buffer.from('abc')))
  })
})
