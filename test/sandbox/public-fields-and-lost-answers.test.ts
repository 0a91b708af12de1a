import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import {
  admin,
  adminAssets,
  api,
  prepare,
  putChunk,
  startSession,
  uploadObject,
} from './helpers.ts'

/** The fields seeds 000–003 show on asset records; nothing else may appear on public routes. */
const DOCUMENTED = new Set([
  'id',
  'token',
  'title',
  'description',
  'collection_token',
  'media_type',
  'display_url',
  'is_skeleton',
  'is_link',
  'source_error',
  'created_at',
  'size',
  'width',
  'height',
])

function undocumented(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((k) => !DOCUMENTED.has(k))
}

describe('sandbox: public asset records and lost answers', () => {
  let sb: Sandbox
  let board: string
  beforeEach(async () => {
    sb = await startSandbox()
    board = sb.boards[0]?.token ?? ''
  })
  afterEach(async () => {
    await sb.close()
  })

  it('shows only documented fields on public routes; the admin API keeps sha256 and signed_gcs_id', async () => {
    const gcs = await uploadObject(sb, 'one.bin', Buffer.from('hello'))
    const single = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: gcs, title: 'one.bin', collection_token: board, size: 5 },
    })
    expect(single.status).toBe(200)
    expect(undocumented(single.body.data)).toEqual([])
    const gcs2 = await uploadObject(sb, 'two.bin', Buffer.from('world!'))
    const batch = await api(sb, 'POST', `/v1/${sb.org}/assets/batch_upload_complete`, {
      batch: {
        collection_token: board,
        assets: [{ uuid: 'u1', signed_gcs_id: gcs2, title: 'two.bin' }],
      },
    })
    expect(undocumented(batch.body.data[0].asset)).toEqual([])
    const url = await api(sb, 'POST', `/v1/${sb.org}/assets`, {
      asset: { uri: 'http://127.0.0.1:9/x.png', collection_token: board },
    })
    expect(undocumented(url.body.data)).toEqual([])
    const list = await api(sb, 'GET', `/v1/${sb.org}/boards/${board}/assets?per_page=100`)
    expect(list.body.data.length).toBe(3)
    for (const a of list.body.data) expect(undocumented(a)).toEqual([])
    const one = await api(sb, 'GET', `/v1/${sb.org}/assets/${single.body.data.token}`)
    expect(undocumented(one.body.data)).toEqual([])
    expect(one.body.data).toMatchObject({ title: 'one.bin', size: 5 })

    const extras = await adminAssets(sb, board)
    const first = extras.find((a) => a.title === 'one.bin')
    expect(first?.signed_gcs_id).toBe(gcs)
    expect(first?.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('answers with the sandbox clock in the Date header', async () => {
    await admin(sb, 'POST', 'clock', { advance_s: 3600 })
    const res = await fetch(`${sb.url}/v1/organizations`, {
      headers: { authorization: `Bearer ${sb.token}` },
    })
    const date = Date.parse(res.headers.get('date') ?? '')
    expect(date - Date.now()).toBeGreaterThan(3500_000)
  })

  it('lose-response: the completion takes effect, the answer never arrives', async () => {
    const gcs = await uploadObject(sb, 'lost.bin', Buffer.from('bytes'))
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'POST', path: '/v1/*/upload_complete', action: 'lose-response' }],
    })
    await expect(
      api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
        asset: { signed_gcs_id: gcs, title: 'lost.bin', collection_token: board },
      }),
    ).rejects.toThrow()
    const stored = await adminAssets(sb, board)
    expect(stored.map((a) => a.title)).toEqual(['lost.bin'])
  })

  it('lose-response on the final storage PUT: the object is finalized, completion works', async () => {
    const data = Buffer.from('final bytes')
    const prep = await prepare(sb, 'put.bin', data.length)
    const session = await startSession(prep)
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'PUT', path: '/storage/session', action: 'lose-response' }],
    })
    await expect(
      putChunk(session, `bytes 0-${data.length - 1}/${data.length}`, data),
    ).rejects.toThrow()
    const query = await putChunk(session, `bytes */${data.length}`)
    expect(query.status).toBe(200)
    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: prep.signed_gcs_id, title: 'put.bin', collection_token: board },
    })
    expect(done.status).toBe(200)
  })

  it('hold: the work is done at once, the answer comes after hold_ms', async () => {
    const gcs = await uploadObject(sb, 'held.bin', Buffer.from('held'))
    await admin(sb, 'POST', 'faults', {
      rules: [
        { method: 'POST', path: '/v1/*/batch_upload_complete', action: 'hold', hold_ms: 1500 },
      ],
    })
    const answer = api(sb, 'POST', `/v1/${sb.org}/assets/batch_upload_complete`, {
      batch: {
        collection_token: board,
        assets: [{ uuid: 'u', signed_gcs_id: gcs, title: 'held.bin' }],
      },
    })
    let answered = false
    void answer.then(() => (answered = true))
    // The asset exists while the answer is still held back.
    for (let i = 0; i < 100 && (await adminAssets(sb, board)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 10))
    expect((await adminAssets(sb, board)).map((a) => a.title)).toEqual(['held.bin'])
    expect(answered).toBe(false)
    expect((await answer).status).toBe(200)
  })

  it('refuses unknown fault actions naming them', async () => {
    const res = await admin(sb, 'POST', 'faults', { rules: [{ path: '/v1', action: 'explode' }] })
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body)).toMatch(/lose-response, hold/)
  })
})
