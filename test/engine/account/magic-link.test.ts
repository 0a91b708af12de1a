import { describe, expect, it } from 'vitest'
import { parseMagicLinkCode } from '../../../src/engine/account/magic-link.ts'

describe('parseMagicLinkCode', () => {
  it('reads the code from the app scheme and from any http link', () => {
    expect(parseMagicLinkCode('playbook-sync://auth?code=abc123')).toBe('abc123')
    expect(parseMagicLinkCode('  https://www.playbook.com/magic_login?token=XYZ  ')).toBe('XYZ')
    expect(parseMagicLinkCode('http://127.0.0.1:5/auth#code=frag')).toBe('frag')
  })

  it('says what is wrong with a link that has no code', () => {
    expect(() => parseMagicLinkCode('not a url')).toThrow(/not a link/)
    expect(() => parseMagicLinkCode('https://example.com/x')).toThrow(/has no code/)
  })
})
