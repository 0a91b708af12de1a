/**
 * The sandbox's Plugin API side over real HTTP. The "plugin" here is a tiny recording HTTP server
 * (the real plugin host is tested in test/engine/plugins); it stands in for any plugin.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { invoke, report, sha256, uploadAsset } from './sandbox-helpers.ts'
import type { UploadedAsset } from './sandbox-helpers.ts'

interface Invocation {
  pluginInvocationToken: string
  callbackUrl: string
  operation: string
  assets: {
    token: string
    url: string
    title: string
    type: string
    thumbnails: { url: string; width: number; height: number; type: string }[]
  }[]
}

let sandbox: Sandbox
let plugin: Server
let pluginUrl: string
let answerStatus = 200
const received: { body: Invocation; headers: Record<string, unknown> }[] = []
let photo: UploadedAsset
let text: UploadedAsset

async function lastInvocation(
  assets: string[],
  headers?: Record<string, string>,
): Promise<Invocation> {
  const before = received.length
  const { pluginInvocationToken } = await invoke(sandbox, pluginUrl, assets, headers)
  expect(received.length).toBe(before + 1)
  const body = received.at(-1)?.body
  expect(body?.pluginInvocationToken).toBe(pluginInvocationToken)
  return body as Invocation
}

async function callback(invocation: Invocation, body: unknown): Promise<Response> {
  return fetch(invocation.callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

beforeAll(async () => {
  sandbox = await startSandbox({})
  plugin = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Invocation,
        headers: req.headers,
      })
      res.writeHead(answerStatus, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => plugin.listen(0, '127.0.0.1', resolve))
  pluginUrl = `http://127.0.0.1:${(plugin.address() as AddressInfo).port}/invoke`
  const jpeg = await sharp({
    create: { width: 2400, height: 1200, channels: 3, background: '#3366cc' },
  })
    .jpeg()
    .toBuffer()
  photo = await uploadAsset(sandbox, { title: 'Sky.jpg', mediaType: 'image/jpeg', bytes: jpeg })
  text = await uploadAsset(sandbox, {
    title: 'notes.txt',
    mediaType: 'text/plain',
    bytes: Buffer.from('hello plugins\n'),
  })
})

afterAll(async () => {
  await new Promise<void>((resolve) => plugin.close(() => resolve()))
  await sandbox.close()
})

describe('POST /__sandbox/plugins/invoke', () => {
  it('sends a seed-001 invocation with signed originals and 2000/1000/500 px thumbnails', async () => {
    const inv = await lastInvocation([photo.token, text.token], { 'x-plugin-secret': 'abc' })
    expect(received.at(-1)?.headers['x-plugin-secret']).toBe('abc')
    expect(inv.operation).toBe('invokePlugin')
    expect(inv.callbackUrl).toMatch(new RegExp(`^${sandbox.url}/plugins/v1/[A-Za-z0-9]+$`))
    const [image, note] = inv.assets
    expect(image).toMatchObject({ token: photo.token, title: 'Sky.jpg', type: '.jpg' })
    expect(note).toMatchObject({
      token: text.token,
      title: 'notes.txt',
      type: '.txt',
      thumbnails: [],
    })

    const original = await fetch(image?.url ?? '')
    expect(sha256(Buffer.from(await original.arrayBuffer()))).toBe(photo.sha256)
    const tail = await fetch(image?.url ?? '', { headers: { range: 'bytes=100-' } })
    expect(tail.status).toBe(206)
    expect(Buffer.from(await tail.arrayBuffer()).equals(photo.bytes.subarray(100))).toBe(true)

    expect(image?.thumbnails.map((t) => [t.width, t.height, t.type])).toEqual([
      [2000, 1000, '.jpg'],
      [1000, 500, '.jpg'],
      [500, 250, '.jpg'],
    ])
    for (const thumb of image?.thumbnails ?? []) {
      const res = await fetch(thumb.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/jpeg')
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', thumb.width, thumb.height])
    }
  })

  it('refuses a tampered thumbnail URL and an expired one', async () => {
    const inv = await lastInvocation([photo.token])
    const url = inv.assets[0]?.thumbnails[2]?.url ?? ''
    const tampered = url.replace(
      /signature=([0-9a-f])/,
      (_, c: string) => `signature=${c === '0' ? '1' : '0'}`,
    )
    expect((await fetch(tampered)).status).toBe(403)
    const other = url.replace('/500?', '/1000?')
    expect((await fetch(other)).status).toBe(403)
    await fetch(`${sandbox.url}/__sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance_s: 7200 }),
    })
    expect((await fetch(url)).status).toBe(400)
  })

  it('answers 404 for an unknown asset and 422 for a bad request, naming the field', async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sandbox.url}/__sandbox/plugins/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const unknown = await post({ url: pluginUrl, assets: ['nope'] })
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: string }).error).toContain('nope')
    const noUrl = await post({ assets: [photo.token] })
    expect(noUrl.status).toBe(422)
    expect(((await noUrl.json()) as { error: string }).error).toContain('url')
    expect((await post({ url: 'file:///etc/passwd', assets: [photo.token] })).status).toBe(422)
    expect((await post({ url: pluginUrl, assets: [] })).status).toBe(422)
    expect((await fetch(`${sandbox.url}/__sandbox/plugins/unknown-token`)).status).toBe(404)
  })

  it('records a plugin that refuses the invocation as failed', async () => {
    answerStatus = 403
    try {
      const { pluginInvocationToken, plugin_status } = await invoke(sandbox, pluginUrl, [
        photo.token,
      ])
      expect(plugin_status).toBe(403)
      const state = await report(sandbox, pluginInvocationToken)
      expect(state.status).toBe('failed')
      expect(state.message).toContain('403')
    } finally {
      answerStatus = 200
    }
  })

  it('redelivers the identical invocation on request', async () => {
    const inv = await lastInvocation([photo.token])
    const res = await fetch(
      `${sandbox.url}/__sandbox/plugins/${inv.pluginInvocationToken}/redeliver`,
      {
        method: 'POST',
      },
    )
    expect(res.status).toBe(200)
    expect(received.at(-1)?.body).toEqual(inv)
    expect((await report(sandbox, inv.pluginInvocationToken)).deliveries).toBe(2)
  })
})

describe('the callbackUrl', () => {
  it('creates placeholders grouped with the source, takes the PUT bytes, then the status', async () => {
    const inv = await lastInvocation([photo.token])
    const token = inv.pluginInvocationToken
    const created = await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{ title: 'Sky (web)', mediaType: 'image/webp', group: photo.token }],
    })
    expect(created.status).toBe(201)
    const body = (await created.json()) as {
      pluginInvocationToken: string
      operation: string
      assets: { token: string; uploadUrl: string }[]
    }
    expect(body.pluginInvocationToken).toBe(token)
    expect(body.operation).toBe('createAssets')
    expect(body.assets).toHaveLength(1)
    const webp = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#fff' } })
      .webp()
      .toBuffer()
    const put = await fetch(body.assets[0]?.uploadUrl ?? '', {
      method: 'PUT',
      headers: { 'content-type': 'image/webp' },
      body: webp,
    })
    expect(put.ok).toBe(true)
    const done = await callback(inv, {
      pluginInvocationToken: token,
      status: 'success',
      message: 'ok',
    })
    expect(done.status).toBe(200)
    const state = await report(sandbox, token)
    expect(state).toMatchObject({ status: 'success', message: 'ok' })
    expect(state.created_assets).toEqual([
      expect.objectContaining({
        token: body.assets[0]?.token,
        title: 'Sky (web)',
        media_type: 'image/webp',
        group: photo.token,
        collection_token: sandbox.boards[0]?.token,
        is_skeleton: false,
        size: webp.length,
        sha256: sha256(webp),
      }),
    ])
    const late = await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{ title: 'late' }],
    })
    expect(late.status).toBe(409)
    expect((await callback(inv, { pluginInvocationToken: token, status: 'success' })).status).toBe(
      200,
    )
    expect((await callback(inv, { pluginInvocationToken: token, status: 'failed' })).status).toBe(
      409,
    )
  })

  it('groups a placeholder without group with the invoked asset', async () => {
    const inv = await lastInvocation([photo.token])
    const res = await callback(inv, {
      pluginInvocationToken: inv.pluginInvocationToken,
      operation: 'createAssets',
      assets: [{ title: 'derived' }, { title: 'alone', group: 'none' }],
    })
    expect(res.status).toBe(201)
    const state = await report(sandbox, inv.pluginInvocationToken)
    expect(state.created_assets.map((a) => a.group)).toEqual([photo.token, null])
  })

  it('is strict: unknown callback, wrong invocation token, bad fields', async () => {
    const inv = await lastInvocation([photo.token])
    const token = inv.pluginInvocationToken
    const unknown = await fetch(`${sandbox.url}/plugins/v1/nosuchcallback`, {
      method: 'POST',
      body: JSON.stringify({ pluginInvocationToken: token, status: 'success' }),
    })
    expect(unknown.status).toBe(404)
    expect(
      (await callback(inv, { pluginInvocationToken: 'other', status: 'success' })).status,
    ).toBe(403)
    expect((await callback(inv, { status: 'success' })).status).toBe(422)
    const noTitle = await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{}],
    })
    expect(noTitle.status).toBe(422)
    expect(((await noTitle.json()) as { error: string }).error).toContain('assets[0].title')
    const foreignGroup = await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{ title: 'x', group: text.token }],
    })
    expect(foreignGroup.status).toBe(422)
    const badType = await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{ title: 'x', mediaType: 'not a type' }],
    })
    expect(badType.status).toBe(422)
    expect((await callback(inv, { pluginInvocationToken: token, status: 'maybe' })).status).toBe(
      422,
    )
    expect((await fetch(inv.callbackUrl)).status).toBe(405)
    expect((await report(sandbox, token)).created_assets).toEqual([])
  })

  it('marks placeholders that never got bytes as failed when the plugin reports failure', async () => {
    const inv = await lastInvocation([photo.token])
    const token = inv.pluginInvocationToken
    await callback(inv, {
      pluginInvocationToken: token,
      operation: 'createAssets',
      assets: [{ title: 'never' }],
    })
    await callback(inv, {
      pluginInvocationToken: token,
      status: 'failed',
      message: 'converter crashed',
    })
    const state = await report(sandbox, token)
    expect(state.status).toBe('failed')
    expect(state.created_assets[0]).toMatchObject({
      is_skeleton: false,
      source_error: 'converter crashed',
    })
  })
})
