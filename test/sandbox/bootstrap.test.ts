import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { api, eventually } from './helpers.ts'

describe('sandbox partner bootstrap (seed 000)', () => {
  let sb: Sandbox
  let src: Server
  let srcUrl: string
  beforeAll(async () => {
    sb = await startSandbox()
    src = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' })
      res.end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))
    })
    await new Promise<void>((r) => src.listen(0, '127.0.0.1', r))
    srcUrl = `http://127.0.0.1:${(src.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await sb.close()
    await new Promise((r) => src.close(r))
  })

  const body = () => ({
    partner_user_id: 'user-12345',
    user: { email: 'jane@client.com', name: 'Jane Doe' },
    organization: { name: 'Acme Corp' },
    boards: [
      {
        title: 'Homepage Assets',
        assets: [
          { url: `${srcUrl}/images/hero.jpg`, filename: 'hero.jpg', description: 'Main banner' },
        ],
      },
    ],
  })

  it('needs the integration token (401) and names missing fields (422)', async () => {
    expect((await api(sb, 'POST', '/api/partner/bootstrap', body(), null)).status).toBe(401)
    expect((await api(sb, 'POST', '/api/partner/bootstrap', body(), sb.token)).status).toBe(401)
    const res = await api(
      sb,
      'POST',
      '/api/partner/bootstrap',
      { partner_user_id: 'x', user: { email: 'a@b.c' } },
      sb.integrationToken,
    )
    expect(res.status).toBe(422)
    expect(res.body.error).toContain('user.name')
    expect(res.body.error).toContain('organization.name')
  })

  it('creates org, user, boards and URL assets, idempotently per partner_user_id', async () => {
    const first = await api(sb, 'POST', '/api/partner/bootstrap', body(), sb.integrationToken)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      status: 'success',
      redirect_url: expect.stringContaining('/magic_login?token='),
      access_token: expect.any(String),
    })
    const second = await api(sb, 'POST', '/api/v1/bootstrap', body(), sb.integrationToken)
    expect(second.body.access_token).toBe(first.body.access_token)

    const token = first.body.access_token as string
    const orgs = await api(sb, 'GET', '/v1/organizations', undefined, token)
    const acme = orgs.body.data.find((o: { name: string }) => o.name === 'Acme Corp')
    expect(acme.slug).toBe('acme-corp')
    const boards = await api(sb, 'GET', `/v1/acme-corp/boards`, undefined, token)
    expect(boards.body.data.map((b: { title: string }) => b.title)).toEqual(['Homepage Assets'])
    const boardToken = boards.body.data[0].token
    const asset = await eventually(async () => {
      const list = await api(
        sb,
        'GET',
        `/v1/acme-corp/boards/${boardToken}/assets`,
        undefined,
        token,
      )
      const a = list.body.data[0]
      return a && !a.is_skeleton ? a : undefined
    })
    expect(asset).toMatchObject({
      title: 'hero.jpg',
      description: 'Main banner',
      media_type: 'image/jpeg',
      size: 4,
    })
    const page = await fetch(first.body.redirect_url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('jane@client.com')
  })
})
