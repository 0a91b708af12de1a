import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { createHttp } from '../../../src/engine/playbook/http.ts'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { PlaybookError } from '../../../src/engine/playbook/errors.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'

describe('Playbook client against the sandbox', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox()
  })
  afterAll(async () => {
    await sandbox.close()
  })

  it('lists orgs and every board (paged, depth=all)', async () => {
    const client = createPlaybookClient({
      baseUrl: `${sandbox.url}/`,
      getToken: () => sandbox.token,
    })
    try {
      const orgs = await client.organizations()
      expect(orgs.map((o) => o.slug)).toContain(sandbox.org)
      const boards = await client.allBoards(sandbox.org)
      expect(boards.map((b) => b.token)).toEqual(
        expect.arrayContaining(sandbox.boards.map((b) => b.token)),
      )
      const page = await client.boards(sandbox.org, { page: 1, perPage: 1 })
      expect(page.items).toHaveLength(1)
      expect(page.pagy?.current_page).toBe(1)
    } finally {
      await client.close()
    }
  })

  it('names the board as board_token too, and gives URL ingest a filename (seed 003)', async () => {
    // A server that reads only seed 003's table fields: `collection_token` never reaches it.
    const inner = createHttp()
    const sent: Record<string, unknown>[] = []
    const http: Http = {
      async send(req) {
        const creates = /\/assets(\/upload_complete)?$/.test(new URL(req.url).pathname)
        if (!creates || typeof req.body !== 'string') return inner.send(req)
        const body = JSON.parse(req.body) as { asset: Record<string, unknown> }
        sent.push(body.asset)
        const { collection_token: _dropped, ...asset } = body.asset
        return inner.send({ ...req, body: JSON.stringify({ asset }) })
      },
      close: () => inner.close(),
    }
    const client = createPlaybookClient({
      baseUrl: sandbox.url,
      getToken: () => sandbox.token,
      http,
    })
    const board = sandbox.boards[1]?.token ?? ''
    try {
      const data = Buffer.from('seed 003 fields')
      const prep = await client.uploadPrepare(sandbox.org, {
        title: 'fields.txt',
        media_type: 'text/plain',
        size: data.length,
      })
      const put = await fetch(prep.upload_url ?? '', {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: data,
      })
      expect(put.status).toBe(200)
      const done = await client.uploadComplete(sandbox.org, {
        signed_gcs_id: prep.signed_gcs_id,
        title: 'fields.txt',
        media_type: 'text/plain',
        size: data.length,
        collection_token: board,
      })
      expect(done.collection_token).toBe(board)
      const ingested = await client.createAssetFromUrl(sandbox.org, {
        uri: `${sandbox.url}/files/photo%20one.jpg?v=2`,
        title: 'Photo',
        collection_token: board,
      })
      expect(ingested.collection_token).toBe(board)
      expect(sent.map((a) => [a.collection_token, a.board_token])).toEqual([
        [board, board],
        [board, board],
      ])
      expect(sent[1]).toMatchObject({ filename: 'photo one.jpg', title: 'Photo' })
    } finally {
      await client.close()
    }
  })

  it('maps errors to kinds and never retries a 401', async () => {
    const logs: string[] = []
    const log = {
      info: (m: string, f?: unknown) => logs.push(`${m} ${JSON.stringify(f)}`),
      warn: () => {},
      error: () => {},
    }
    const client = createPlaybookClient({
      baseUrl: sandbox.url,
      getToken: () => 'pb_not_a_token',
      log,
    })
    try {
      const e = await client.organizations().catch((x: unknown) => x)
      expect(e).toBeInstanceOf(PlaybookError)
      expect(e).toMatchObject({ kind: 'auth', status: 401 })
      expect(logs).toHaveLength(1)
      expect(logs.join('\n')).not.toContain('pb_not_a_token')
      const none = createPlaybookClient({ baseUrl: sandbox.url, getToken: () => undefined })
      await expect(none.organizations()).rejects.toMatchObject({ kind: 'auth' })
      await none.close()
    } finally {
      await client.close()
    }
  })

  it('signs in with a magic link and bootstraps a partner user', async () => {
    const client = createPlaybookClient({ baseUrl: sandbox.url, getToken: () => undefined })
    try {
      await client.requestMagicLink({
        email: 'ana@studio.test',
        redirect_uri: 'playbook-sync://auth',
      })
      const mail = (await (await fetch(`${sandbox.url}/__sandbox/mailbox`)).json()) as {
        data: { link: string }[]
      }
      const code = new URL(mail.data.at(-1)?.link ?? '').searchParams.get('code') ?? ''
      const { access_token } = await client.exchangeMagicLinkCode(code)
      expect(access_token).toBeTruthy()
      await expect(client.exchangeMagicLinkCode(code)).rejects.toMatchObject({
        kind: 'validation',
        status: 400,
      })
      const boot = await client.bootstrap(sandbox.integrationToken, {
        partner_user_id: 'u-1',
        user: { email: 'jane@client.test', name: 'Jane' },
        organization: { name: 'Client Co' },
      })
      expect(boot.access_token).toBeTruthy()
      await expect(client.bootstrap('wrong', { partner_user_id: 'u-1' })).rejects.toMatchObject({
        kind: 'auth',
      })
    } finally {
      await client.close()
    }
  })
})
