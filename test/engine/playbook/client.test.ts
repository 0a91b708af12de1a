import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
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
