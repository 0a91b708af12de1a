import { request } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { admin, api, bytes, md5b64, prepare, putChunk, startSession } from './helpers.ts'

const KB256 = 256 * 1024

/** PUTs a chunk with node:http so a reset surfaces as an error, not a hang. */
function rawPut(
  url: string,
  range: string,
  data: Buffer,
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'PUT',
        headers: {
          'Content-Range': range,
          'Content-Length': data.length,
          'Content-Type': 'application/octet-stream',
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode }))
      },
    )
    req.on('error', (e) => resolve({ error: e.message }))
    req.end(data)
  })
}

describe('sandbox fault injection', () => {
  let sb: Sandbox
  beforeEach(async () => {
    sb = await startSandbox()
  })
  afterEach(async () => {
    await sb.close()
  })

  it('answers an injected status with Retry-After, `times` times, then normally', async () => {
    await admin(sb, 'POST', 'faults', {
      rules: [
        { method: 'GET', path: '/v1', action: 'status', status: 429, retry_after: 1, times: 2 },
      ],
    })
    for (let i = 0; i < 2; i++) {
      const res = await api(sb, 'GET', '/v1/organizations')
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('1')
      expect(res.body).toEqual({ error: 'injected' })
    }
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(200)
    expect((await admin(sb, 'GET', 'faults')).body.data).toEqual([])
  })

  it('matches method, prefix and glob, in order; times: 0 is unlimited; DELETE clears', async () => {
    await admin(sb, 'POST', 'faults', {
      rules: [
        { method: 'POST', path: '/v1', action: 'status', status: 500 },
        { path: '/v1/*/boards', action: 'status', status: 503, times: 0 },
      ],
    })
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(200)
    for (let i = 0; i < 3; i++)
      expect((await api(sb, 'GET', `/v1/${sb.org}/boards`)).status).toBe(503)
    expect((await api(sb, 'POST', `/v1/${sb.org}/assets/upload_prepare`, {})).status).toBe(500)
    expect((await api(sb, 'POST', `/v1/${sb.org}/assets/upload_prepare`, {})).status).toBe(422)
    await admin(sb, 'DELETE', 'faults')
    expect((await api(sb, 'GET', `/v1/${sb.org}/boards`)).status).toBe(200)
    expect(
      (
        await admin(sb, 'POST', 'faults', {
          rules: [{ path: 'v1', action: 'status', status: 500 }],
        })
      ).status,
    ).toBe(422)
    expect(
      (await admin(sb, 'POST', 'faults', { rules: [{ path: '/v1', action: 'explode' }] })).status,
    ).toBe(422)
  })

  it('resets mid-chunk keeping only the whole 256 KiB blocks that arrived; the upload resumes', async () => {
    const data = bytes(KB256 * 8 + 77, 11)
    const prep = await prepare(sb, 'reset.bin', data.length)
    const session = await startSession(prep)
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'PUT', path: '/storage', action: 'reset', after_bytes: KB256 * 3 + 5000 }],
    })
    const broken = await rawPut(
      session,
      `bytes 0-${KB256 * 8 - 1}/${data.length}`,
      data.subarray(0, KB256 * 8),
    )
    expect(broken).toEqual({ error: expect.any(String) })
    const query = await putChunk(session, `bytes */${data.length}`)
    expect(query).toMatchObject({ status: 308, range: `bytes=0-${KB256 * 3 - 1}` })
    const rest = await putChunk(
      session,
      `bytes ${KB256 * 3}-${data.length - 1}/${data.length}`,
      data.subarray(KB256 * 3),
    )
    expect(rest.status).toBe(200)
    expect(JSON.parse(rest.body).md5Hash).toBe(md5b64(data))
  })

  it('resets a status query too (no bytes lost)', async () => {
    const data = bytes(KB256 * 2, 17)
    const prep = await prepare(sb, 'query.bin', data.length)
    const session = await startSession(prep)
    await putChunk(session, `bytes 0-${KB256 - 1}/${data.length}`, data.subarray(0, KB256))
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'PUT', path: '/storage/session/*', action: 'reset' }],
    })
    await expect(putChunk(session, `bytes */${data.length}`)).rejects.toThrow()
    expect(await putChunk(session, `bytes */${data.length}`)).toMatchObject({
      status: 308,
      range: `bytes=0-${KB256 - 1}`,
    })
  })

  it('resets an API request after reading its body', async () => {
    await admin(sb, 'POST', 'faults', { rules: [{ method: 'POST', path: '/v1', action: 'reset' }] })
    await expect(
      api(sb, 'POST', `/v1/${sb.org}/assets/upload_prepare`, { asset: {} }),
    ).rejects.toThrow()
    expect(
      (await api(sb, 'POST', `/v1/${sb.org}/assets/upload_prepare`, { asset: {} })).status,
    ).toBe(422)
  })

  it('partial: stores part of a chunk and answers 308 with the shorter Range', async () => {
    const data = bytes(KB256 * 4, 13)
    const prep = await prepare(sb, 'partial.bin', data.length)
    const session = await startSession(prep)
    await admin(sb, 'POST', 'faults', {
      rules: [
        { method: 'PUT', path: '/storage/session', action: 'partial', after_bytes: KB256 + 100 },
      ],
    })
    const first = await putChunk(session, `bytes 0-${data.length - 1}/${data.length}`, data)
    expect(first).toMatchObject({ status: 308, range: `bytes=0-${KB256 - 1}` })
    const rest = await putChunk(
      session,
      `bytes ${KB256}-${data.length - 1}/${data.length}`,
      data.subarray(KB256),
    )
    expect(rest.status).toBe(200)
    expect(JSON.parse(rest.body).md5Hash).toBe(md5b64(data))
  })

  it('partial on a whole-object PUT: 308 on a session, ignored on the signed upload URL', async () => {
    const data = bytes(KB256 * 2 + 9, 19)
    const prep = await prepare(sb, 'whole.bin', data.length)
    const session = await startSession(prep)
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'PUT', path: '/storage', action: 'partial', after_bytes: KB256, times: 2 }],
    })
    expect(await putChunk(session, undefined, data)).toMatchObject({
      status: 308,
      range: `bytes=0-${KB256 - 1}`,
    })
    const rest = await putChunk(
      session,
      `bytes ${KB256}-${data.length - 1}/${data.length}`,
      data.subarray(KB256),
    )
    expect(rest).toMatchObject({ status: 308, range: `bytes=0-${2 * KB256 - 1}` })
    const last = await putChunk(
      session,
      `bytes ${2 * KB256}-${data.length - 1}/${data.length}`,
      data.subarray(2 * KB256),
    )
    expect(last.status).toBe(200)
    expect(JSON.parse(last.body).md5Hash).toBe(md5b64(data))

    const direct = await prepare(sb, 'direct.bin', data.length)
    await admin(sb, 'POST', 'faults', {
      rules: [{ method: 'PUT', path: '/storage/upload', action: 'partial', after_bytes: KB256 }],
    })
    const put = await fetch(direct.upload_url, { method: 'PUT', body: data })
    expect(put.status).toBe(200)
    expect(((await put.json()) as { md5Hash: string }).md5Hash).toBe(md5b64(data))
  })

  it('delay: waits, then answers normally', async () => {
    await admin(sb, 'POST', 'faults', {
      rules: [{ path: '/v1/organizations', action: 'delay', delay_ms: 50 }],
    })
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(200)
    expect((await admin(sb, 'GET', 'faults')).body.data).toEqual([])
  })

  it('never applies faults to the admin routes', async () => {
    await admin(sb, 'POST', 'faults', {
      rules: [{ path: '/', action: 'status', status: 500, times: 0 }],
    })
    expect((await admin(sb, 'GET', 'stats')).status).toBe(200)
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(500)
  })
})
