import { describe, expect, it } from 'vitest'
import { decideLink, findDeepLink, parseDeepLink } from '../../src/main/deep-link.ts'

describe('playbook-sync:// links (untrusted input)', () => {
  it('accepts a sign-in link and rebuilds it from the code and state', () => {
    expect(parseDeepLink('playbook-sync://auth?state=n0nce&code=abc-123_X.y~z')).toEqual({
      kind: 'auth',
      code: 'abc-123_X.y~z',
      state: 'n0nce',
      link: 'playbook-sync://auth?state=n0nce&code=abc-123_X.y~z',
    })
    expect(parseDeepLink('playbook-sync://auth/?code=abc&state=s')?.code).toBe('abc')
    expect(parseDeepLink('PLAYBOOK-SYNC://auth?state=s&code=abc')?.code).toBe('abc')
  })

  it('refuses everything else', () => {
    const refused: unknown[] = [
      undefined,
      42,
      'https://auth?code=abc',
      'playbook-sync://evil?code=abc',
      'playbook-sync://auth',
      'playbook-sync://auth?code=',
      // No nonce: not a link this app asked for.
      'playbook-sync://auth?code=abc',
      'playbook-sync://auth?code=abc&state=',
      'playbook-sync://auth?code=abc&state=a&state=b',
      'playbook-sync://auth?code=a&next=https://evil.test',
      'playbook-sync://auth?code=a%20b',
      'playbook-sync://auth?code=<script>',
      'playbook-sync://user:pw@auth?code=a',
      'playbook-sync://auth:99?code=a',
      'playbook-sync://auth?code=a#frag',
      'playbook-sync://auth/../settings?code=a',
      `playbook-sync://auth?code=${'a'.repeat(3000)}`,
      'not a url',
    ]
    for (const raw of refused) expect(parseDeepLink(raw), String(raw)).toBeNull()
  })

  it('finds the link in a command line (cold start, second instance)', () => {
    expect(
      findDeepLink(['/app/Playbook Sync', '--flag', 'playbook-sync://auth?code=k1&state=s'])?.code,
    ).toBe('k1')
    expect(
      findDeepLink(['/app', 'playbook-sync://evil', 'playbook-sync://auth?code=k2&state=s'])?.code,
    ).toBe('k2')
    expect(findDeepLink(['/app', '--inspect'])).toBeNull()
  })
})

describe('when an OS link is acted on (login CSRF)', () => {
  it('is considered only while a link is awaited, and the confirmation names the e-mail', () => {
    expect(decideLink({ kind: 'waiting-for-link', email: 'me@studio.test' })).toEqual({
      kind: 'confirm',
      email: 'me@studio.test',
    })
    const others = [
      { kind: 'signed-out' },
      { kind: 'expired', apiUrl: 'https://api.playbook.com' },
      { kind: 'signed-in', apiUrl: 'https://api.playbook.com', org: null, sandbox: false },
    ] as const
    for (const session of others) expect(decideLink(session).kind).toBe('ignore')
  })
})
