import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { admin, api } from './helpers.ts'

describe('sandbox sign-in: magic links, token exchange, revocation', () => {
  let sb: Sandbox
  beforeEach(async () => {
    sb = await startSandbox()
  })
  afterEach(async () => {
    await sb.close()
  })

  async function requestLink(email: string, redirect?: string): Promise<string> {
    const res = await api(
      sb,
      'POST',
      '/v1/auth/magic_link',
      { email, redirect_uri: redirect },
      null,
    )
    expect(res.status).toBe(202)
    const mails = (await admin(sb, 'GET', 'mailbox')).body.data
    const mail = mails.filter((m: { to: string }) => m.to === email).pop()
    expect(mail).toMatchObject({
      to: email,
      subject: expect.any(String),
      created_at: expect.any(String),
    })
    return mail.link
  }

  it('mails a link to redirect_uri with a code that signs in once', async () => {
    const link = await requestLink('new.person@example.com', 'playbook-sync://auth')
    expect(link).toMatch(/^playbook-sync:\/\/auth\?code=\w+$/)
    const code = new URL(link).searchParams.get('code')
    const res = await api(sb, 'POST', '/v1/auth/token', { grant_type: 'magic_link', code }, null)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'read write' })
    const orgs = await api(sb, 'GET', '/v1/organizations', undefined, res.body.access_token)
    expect(orgs.body.data.map((o: { slug: string }) => o.slug)).toEqual(['sandbox-studio'])
    const again = await api(sb, 'POST', '/v1/auth/token', { grant_type: 'magic_link', code }, null)
    expect(again.status).toBe(400)
    expect(again.body.error).toBe('invalid_grant')
  })

  it('defaults the link to the sandbox magic_login page, which shows a signed-in page', async () => {
    const link = await requestLink('designer@sandbox.test')
    expect(link.startsWith(`${sb.url}/magic_login?code=`)).toBe(true)
    const page = await fetch(link)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('signed in')
  })

  it('expires codes after 15 minutes of sandbox clock and checks the request', async () => {
    const code = new URL(await requestLink('late@example.com')).searchParams.get('code')
    await admin(sb, 'POST', 'clock', { advance_s: 15 * 60 + 1 })
    expect(
      (await api(sb, 'POST', '/v1/auth/token', { grant_type: 'magic_link', code }, null)).status,
    ).toBe(400)
    expect(
      (await api(sb, 'POST', '/v1/auth/token', { grant_type: 'password', code }, null)).body.error,
    ).toBe('unsupported_grant_type')
    expect((await api(sb, 'POST', '/v1/auth/magic_link', { email: 'nope' }, null)).status).toBe(422)
    expect((await admin(sb, 'POST', 'clock', { advance_s: -5 })).status).toBe(422)
  })

  it('revokes a token: 401 afterwards', async () => {
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(200)
    expect((await admin(sb, 'POST', 'tokens/revoke', { token: sb.token })).status).toBe(200)
    expect((await api(sb, 'GET', '/v1/organizations')).status).toBe(401)
    expect((await api(sb, 'GET', '/v1/organizations', undefined, sb.readToken)).status).toBe(200)
    expect((await admin(sb, 'POST', 'tokens/revoke', { token: 'unknown' })).status).toBe(404)
  })

  it('refuses the integration token on the API', async () => {
    expect((await api(sb, 'GET', '/v1/organizations', undefined, sb.integrationToken)).status).toBe(
      401,
    )
  })
})
