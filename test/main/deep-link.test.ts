import { describe, expect, it } from 'vitest'
import { decideLink, findDeepLink, parseDeepLink } from '../../src/main/deep-link.ts'

describe('playbook-sync:// links (untrusted input)', () => {
  it('accepts a sign-in link and rebuilds it from the code', () => {
    expect(parseDeepLink('playbook-sync://auth?code=abc-123_X.y~z')).toEqual({
      kind: 'auth',
      code: 'abc-123_X.y~z',
      link: 'playbook-sync://auth?code=abc-123_X.y~z',
    })
    expect(parseDeepLink('playbook-sync://auth/?code=abc')?.code).toBe('abc')
    expect(parseDeepLink('PLAYBOOK-SYNC://auth?code=abc')?.code).toBe('abc')
  })

  it('refuses everything else', () => {
    const refused: unknown[] = [
      undefined,
      42,
      'https://auth?code=abc',
      'playbook-sync://evil?code=abc',
      'playbook-sync://auth',
      'playbook-sync://auth?code=',
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
      findDeepLink(['/app/Playbook Sync', '--flag', 'playbook-sync://auth?code=k1'])?.code,
    ).toBe('k1')
    expect(
      findDeepLink(['/app', 'playbook-sync://evil', 'playbook-sync://auth?code=k2'])?.code,
    ).toBe('k2')
    expect(findDeepLink(['/app', '--inspect'])).toBeNull()
  })
})

describe('when an OS link is acted on (login CSRF)', () => {
  it('completes at once only while a magic link is awaited', () => {
    expect(decideLink('waiting-for-link')).toBe('complete')
    for (const kind of ['signed-in', 'signed-out', 'expired', 'anything'])
      expect(decideLink(kind)).toBe('confirm')
  })
})
