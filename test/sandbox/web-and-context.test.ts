import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { adminAssets, api, bytes, sha256, uploadObject } from './helpers.ts'

describe('sandbox web view and the plugin context', () => {
  let sb: Sandbox
  let token: string
  const data = bytes(2048, 31)
  beforeAll(async () => {
    sb = await startSandbox()
    const gcs = await uploadObject(sb, 'cat.png', data, 'image/png')
    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: gcs, title: 'Cat <3', collection_token: sb.boards[0]?.token },
    })
    token = done.body.data.token
  })
  afterAll(async () => {
    await sb.close()
  })

  it('lists boards (nested ones indented) and shows a board as an image grid', async () => {
    const home = await fetch(`${sb.url}/`)
    expect(home.headers.get('content-type')).toContain('text/html')
    const html = await home.text()
    for (const b of sb.boards) expect(html).toContain(b.title)
    expect(html).toContain('margin-left:24px')
    const board = await (await fetch(`${sb.url}/boards/${sb.boards[0]?.token}`)).text()
    expect(board).toContain(`<img src="/files/${token}"`)
    expect(board).toContain('Cat &lt;3')
    expect((await fetch(`${sb.url}/boards/nope`)).status).toBe(404)
  })

  it('serves stored bytes with Range support', async () => {
    const whole = await fetch(`${sb.url}/files/${token}`)
    expect(whole.headers.get('content-type')).toBe('image/png')
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(data))
    const part = await fetch(`${sb.url}/files/${token}`, { headers: { Range: 'bytes=10-19' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${data.length}`)
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20))).toBe(true)
  })

  it('gives plugins signed downloads, placeholders with one-shot upload URLs, and stored bytes', async () => {
    const ctx = sb.context
    expect(ctx.baseUrl).toBe(sb.url)
    expect(ctx.assets.find(token)?.title).toBe('Cat <3')
    const signed = ctx.assets.signedDownloadUrl(token)
    const got = await fetch(signed, { headers: { Range: 'bytes=0-99' } })
    expect(got.status).toBe(206)
    expect((await fetch(signed.replace(token, `${token}x`))).status).toBe(403)

    const opened = await ctx.assets.openBytes(token)
    expect(opened?.size).toBe(data.length)
    const chunks: Buffer[] = []
    for await (const c of opened?.stream ?? []) chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).equals(data)).toBe(true)

    const placeholder = await ctx.assets.createPlaceholder({
      title: 'Cat, no background',
      mediaType: 'image/png',
      group: token,
    })
    expect(ctx.assets.find(placeholder.token)).toMatchObject({
      is_skeleton: true,
      group: token,
      collection_token: sb.boards[0]?.token,
    })
    const body = bytes(500, 32)
    const put = await fetch(placeholder.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/webp' },
      body,
    })
    expect(put.status).toBe(200)
    expect((await fetch(placeholder.uploadUrl, { method: 'PUT', body })).status).toBe(403)
    expect(ctx.assets.find(placeholder.token)).toMatchObject({
      is_skeleton: false,
      media_type: 'image/webp',
      size: 500,
      sha256: sha256(body),
    })
    expect((await adminAssets(sb, sb.boards[0]?.token)).map((a) => a.token)).toContain(
      placeholder.token,
    )

    const failed = await ctx.assets.createPlaceholder({
      boardToken: sb.boards[1]?.token,
      title: 'x',
    })
    ctx.assets.failPlaceholder(failed.token, 'plugin reported failure')
    expect(ctx.assets.find(failed.token)).toMatchObject({
      is_skeleton: false,
      source_error: 'plugin reported failure',
    })
    await expect(ctx.assets.createPlaceholder({ boardToken: 'nope', title: 'x' })).rejects.toThrow(
      /board not found/,
    )
  })
})
