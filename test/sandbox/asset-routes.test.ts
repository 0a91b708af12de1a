/** The sandbox's assumed asset routes over real HTTP: versions, re-title, move, group, withheld. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { admin, adminAssets, api, bytes, sha256, uploadObject } from './helpers.ts'

describe('sandbox: assumed asset routes', () => {
  let sb: Sandbox
  beforeAll(async () => {
    sb = await startSandbox()
  })
  afterAll(async () => {
    await sb.close()
  })

  it('adds versions from signed uploads, lists them, and shows the history on the web view', async () => {
    const board = sb.boards[0]?.token ?? ''
    const first = bytes(1000, 1)
    const id = await uploadObject(sb, 'poster.png', first, 'image/png')
    const created = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: {
        signed_gcs_id: id,
        title: 'poster.png',
        media_type: 'image/png',
        collection_token: board,
      },
    })
    const token = created.body.data.token as string
    const listed = await api(sb, 'GET', `/v1/${sb.org}/assets/${token}/versions`)
    expect(listed.body.data.map((v: { number: number }) => v.number)).toEqual([1])

    const second = bytes(1200, 2)
    const id2 = await uploadObject(sb, 'poster.png', second, 'image/png')
    const added = await api(sb, 'POST', `/v1/${sb.org}/assets/${token}/versions`, {
      version: { signed_gcs_id: id2, media_type: 'image/png', size: second.length },
    })
    expect(added.status).toBe(201)
    expect(added.body.data).toMatchObject({ number: 2, size: 1200 })
    // Only the fields the API notes document for a version (assumed shape).
    expect(Object.keys(added.body.data).sort()).toEqual([
      'created_at',
      'media_type',
      'number',
      'size',
    ])
    // The public record shows the newest bytes; the admin view keeps every version.
    const one = await api(sb, 'GET', `/v1/${sb.org}/assets/${token}`)
    expect(one.body.data).toMatchObject({ token, size: 1200 })
    const [view] = await adminAssets(sb, board)
    expect(view?.sha256).toBe(sha256(second))
    expect(view?.versions?.map((v) => [v.number, v.sha256])).toEqual([
      [1, sha256(first)],
      [2, sha256(second)],
    ])
    // An object not in storage: 404 from an existing route (the client tells the two apart).
    const missing = await api(sb, 'POST', `/v1/${sb.org}/assets/${token}/versions`, {
      version: { signed_gcs_id: 'nope', media_type: 'image/png', size: 1 },
    })
    expect(missing.status).toBe(404)
    const page = await (await fetch(`${sb.url}/boards/${board}`)).text()
    expect(page).toContain('v2 · 2 versions')
  })

  it('re-titles, moves and groups assets; withheld routes answer like unknown routes', async () => {
    const [a, b] = sb.boards
    const id = await uploadObject(sb, 'x.txt', Buffer.from('x'), 'text/plain')
    const made = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: {
        signed_gcs_id: id,
        title: 'x.txt',
        media_type: 'text/plain',
        collection_token: a?.token,
      },
    })
    const token = made.body.data.token as string
    const renamed = await api(sb, 'PUT', `/v1/${sb.org}/assets/${token}`, {
      asset: { title: 'y.txt', description: 'folder/y.txt' },
    })
    expect(renamed.body.data).toMatchObject({ title: 'y.txt', description: 'folder/y.txt' })
    const moved = await api(sb, 'POST', `/v1/${sb.org}/assets/move`, {
      batch: { asset_tokens: [token], collection_token: b?.token },
    })
    expect(moved.body.data[0]).toMatchObject({ token, collection_token: b?.token })

    await admin(sb, 'POST', 'assumed-routes', { missing: ['update', 'versions'] })
    const unknown = await api(sb, 'POST', `/v1/${sb.org}/no_such_route`, {})
    const withheld = await api(sb, 'PUT', `/v1/${sb.org}/assets/${token}`, {
      asset: { title: 'z' },
    })
    expect(withheld.status).toBe(unknown.status)
    expect(Object.keys(withheld.body)).toEqual(Object.keys(unknown.body))
    expect((await api(sb, 'GET', `/v1/${sb.org}/assets/${token}/versions`)).status).toBe(404)
    await admin(sb, 'POST', 'assumed-routes', { missing: [] })
    expect((await api(sb, 'GET', `/v1/${sb.org}/assets/${token}/versions`)).status).toBe(200)
  })
})
