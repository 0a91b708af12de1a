import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import {
  admin,
  adminAssets,
  api,
  bytes,
  md5b64,
  prepare,
  putChunk,
  sha256,
  startSession,
} from './helpers.ts'

const KB256 = 256 * 1024

describe('sandbox storage: GCS resumable protocol', () => {
  let sb: Sandbox
  beforeAll(async () => {
    sb = await startSandbox()
  })
  afterAll(async () => {
    await sb.close()
  })

  it('uploads in chunks with 308 + Range, answers status queries and finalizes with md5', async () => {
    const data = bytes(KB256 * 2 + 1000, 3)
    const prep = await prepare(sb, 'chunks.bin', data.length)
    expect(prep.upload_url).toContain('/storage/upload/')
    expect(prep.upload_url).toContain('X-Goog-Signature=')
    const session = await startSession(prep)
    expect(session).toContain('/storage/session/')

    const empty = await putChunk(session, `bytes */${data.length}`)
    expect(empty.status).toBe(308)
    expect(empty.range).toBeNull()

    const first = await putChunk(session, `bytes 0-${KB256 - 1}/*`, data.subarray(0, KB256))
    expect(first).toMatchObject({ status: 308, range: `bytes=0-${KB256 - 1}` })
    const second = await putChunk(
      session,
      `bytes ${KB256}-${2 * KB256 - 1}/*`,
      data.subarray(KB256, 2 * KB256),
    )
    expect(second).toMatchObject({ status: 308, range: `bytes=0-${2 * KB256 - 1}` })
    const query = await putChunk(session, `bytes */${data.length}`)
    expect(query).toMatchObject({ status: 308, range: `bytes=0-${2 * KB256 - 1}` })

    const last = await putChunk(
      session,
      `bytes ${2 * KB256}-${data.length - 1}/${data.length}`,
      data.subarray(2 * KB256),
    )
    expect(last.status).toBe(200)
    expect(JSON.parse(last.body)).toMatchObject({
      size: data.length,
      md5Hash: md5b64(data),
      name: prep.signed_gcs_id,
    })
    // A finished session answers a status query with the object again.
    expect((await putChunk(session, `bytes */${data.length}`)).status).toBe(200)

    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: {
        signed_gcs_id: prep.signed_gcs_id,
        title: 'chunks.bin',
        media_type: 'application/octet-stream',
        size: data.length,
      },
    })
    expect(done.status).toBe(200)
    const stored = (await adminAssets(sb)).find((a) => a.token === done.body.data.token)
    expect(stored?.sha256).toBe(sha256(data))
  })

  it('refuses a non-final chunk that is not a multiple of 256 KiB', async () => {
    const prep = await prepare(sb, 'odd.bin', KB256 * 2)
    const session = await startSession(prep)
    const res = await putChunk(session, `bytes 0-999/${KB256 * 2}`, bytes(1000))
    expect(res.status).toBe(400)
    expect(res.body).toContain('multiple of 262144')
  })

  it('stores nothing from a chunk that does not start at the stored offset', async () => {
    const data = bytes(KB256 * 3, 5)
    const prep = await prepare(sb, 'gap.bin', data.length)
    const session = await startSession(prep)
    await putChunk(session, `bytes 0-${KB256 - 1}/${data.length}`, data.subarray(0, KB256))
    const skip = await putChunk(
      session,
      `bytes ${2 * KB256}-${3 * KB256 - 1}/${data.length}`,
      data.subarray(2 * KB256),
    )
    expect(skip).toMatchObject({ status: 308, range: `bytes=0-${KB256 - 1}` })
    const rest = await putChunk(
      session,
      `bytes ${KB256}-${data.length - 1}/${data.length}`,
      data.subarray(KB256),
    )
    expect(rest.status).toBe(200)
    expect(JSON.parse(rest.body).md5Hash).toBe(md5b64(data))
  })

  it('finalizes a zero-byte file with bytes */0', async () => {
    const prep = await prepare(sb, 'empty.txt', 0, 'text/plain')
    const session = await startSession(prep, 'text/plain')
    const res = await putChunk(session, 'bytes */0')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ size: 0, md5Hash: md5b64(Buffer.alloc(0)) })
  })

  it('accepts a plain single PUT on the session and on the signed upload_url', async () => {
    const data = bytes(5000, 7)
    const a = await prepare(sb, 'plain.bin', data.length)
    const session = await startSession(a)
    const res = await putChunk(session, undefined, data)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).size).toBe(data.length)

    const b = await prepare(sb, 'direct.bin', data.length)
    const put = await fetch(b.upload_url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: data,
    })
    expect(put.status).toBe(200)
    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: b.signed_gcs_id, title: 'direct.bin' },
    })
    expect(done.status).toBe(200)
    expect(done.body.data.size).toBe(data.length)
  })

  it('signs upload URLs for one method when asked, refusing the other with 403', async () => {
    const data = bytes(3000, 9)
    const start = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'x-goog-resumable': 'start', 'Content-Type': 'application/octet-stream' },
      })
    const put = (url: string, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', ...headers },
        body: data,
      })
    try {
      await admin(sb, 'POST', 'storage', { provider: 'gcs', upload_url_method: 'PUT' })
      const forPut = await prepare(sb, 'signed-put.bin', data.length)
      const refused = await start(forPut.upload_url)
      expect(refused.status).toBe(403)
      expect(await refused.text()).toContain('SignatureDoesNotMatch')
      // Metadata is optional on the PUT, but never another object's.
      expect(
        (await put(forPut.upload_url, { 'x-goog-meta-encrypted-organization-metadata': 'x' }))
          .status,
      ).toBe(400)
      const meta = {
        'x-goog-meta-encrypted-organization-metadata': forPut.encrypted_organization_metadata,
      }
      expect((await put(forPut.upload_url, meta)).status).toBe(200)

      await admin(sb, 'POST', 'storage', { provider: 'gcs', upload_url_method: 'POST' })
      const forPost = await prepare(sb, 'signed-post.bin', data.length)
      expect((await put(forPost.upload_url)).status).toBe(403)
      expect((await startSession(forPost)).length).toBeGreaterThan(0)
      // A URL keeps the method it was signed for when the choice changes.
      expect((await start(forPut.upload_url)).status).toBe(403)
    } finally {
      await admin(sb, 'POST', 'storage', { provider: 'gcs' })
    }
    const either = await prepare(sb, 'signed-any.bin', data.length)
    expect((await put(either.upload_url)).status).toBe(200)
    expect((await startSession(either)).length).toBeGreaterThan(0)
  })

  it('checks the session start: meta header, Authorization, x-goog-resumable, signature', async () => {
    const prep = await prepare(sb, 'strict.bin', 10)
    const start = (headers: Record<string, string>, url = prep.upload_url) =>
      fetch(url, { method: 'POST', headers })
    const good = {
      'x-goog-resumable': 'start',
      'Content-Type': 'application/octet-stream',
      'x-goog-meta-encrypted-organization-metadata': prep.encrypted_organization_metadata,
    }
    const { ['x-goog-meta-encrypted-organization-metadata']: _meta, ...noMeta } = good
    expect((await start(noMeta)).status).toBe(400)
    expect((await start({ ...good, Authorization: `Bearer ${sb.token}` })).status).toBe(400)
    const { ['x-goog-resumable']: _r, ...noResumable } = good
    expect((await start(noResumable)).status).toBe(400)
    const tampered = prep.upload_url.replace(
      /X-Goog-Signature=(.)/,
      (_m, c: string) => `X-Goog-Signature=${c === 'a' ? 'b' : 'a'}`,
    )
    expect((await start(good, tampered)).status).toBe(403)
    const otherObject = prep.upload_url.replace(prep.signed_gcs_id, `${prep.signed_gcs_id}x`)
    expect((await start(good, otherObject)).status).toBe(403)
    const ok = await start(good)
    expect(ok.status).toBe(201)
    expect(ok.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/session\/\w+$/)
  })

  it('answers 404 for an unknown session and 400 for a malformed Content-Range', async () => {
    expect((await putChunk(`${sb.url}/storage/session/nope`, 'bytes */10')).status).toBe(404)
    const prep = await prepare(sb, 'range.bin', 10)
    const session = await startSession(prep)
    expect((await putChunk(session, 'bytes 5-1/10', bytes(1))).status).toBe(400)
    expect((await putChunk(session, 'bytes 0-19/10', bytes(20))).status).toBe(400)
  })

  it('lets signed URLs and sessions expire by the sandbox clock (400 and 410)', async () => {
    const own = await startSandbox()
    try {
      const prep = await prepare(own, 'late.bin', 10)
      const session = await startSession(prep)
      await admin(own, 'POST', 'clock', { advance_s: 24 * 3600 + 60 })
      const start = await fetch(prep.upload_url, {
        method: 'POST',
        headers: {
          'x-goog-resumable': 'start',
          'Content-Type': 'application/octet-stream',
          'x-goog-meta-encrypted-organization-metadata': prep.encrypted_organization_metadata,
        },
      })
      expect(start.status).toBe(400)
      expect(await start.text()).toContain('ExpiredToken')
      expect((await putChunk(session, 'bytes */10')).status).toBe(308)
      await admin(own, 'POST', 'clock', { advance_s: 7 * 24 * 3600 })
      expect((await putChunk(session, 'bytes */10')).status).toBe(410)
    } finally {
      await own.close()
    }
  })
})
