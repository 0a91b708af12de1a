import { describe, expect, it } from 'vitest'
import { parseRequest } from '../../src/shared/contract.ts'

// What a renderer (or a page that took it over) may send, as every host validates it.

describe('contract validation of untrusted requests', () => {
  it('sends a credential only over https, or plain http on this machine', () => {
    for (const apiUrl of [
      'https://api.playbook.com',
      'http://127.0.0.1:4010',
      'http://localhost:4010',
      'http://[::1]:4010',
    ])
      expect(
        () => parseRequest('session:sign-in-token', { apiUrl, token: 't' }),
        apiUrl,
      ).not.toThrow()
    for (const apiUrl of [
      'http://api.playbook.com',
      'http://192.168.1.10:4010',
      'http://127.0.0.1.evil.test',
      'https://user:pw@api.playbook.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(() => parseRequest('session:sign-in-token', { apiUrl, token: 't' }), apiUrl).toThrow(
        /session:sign-in-token: invalid request: apiUrl/,
      )
      expect(() => parseRequest('session:request-link', { apiUrl, email: 'a@b.test' })).toThrow(
        /apiUrl/,
      )
    }
  })

  it('refuses unknown fields, wrong types and unbounded values, naming the field', () => {
    expect(() => parseRequest('jobs:cancel', { id: 'j', extra: 1 })).toThrow(/jobs:cancel/)
    expect(() => parseRequest('jobs:cancel', { id: 'x'.repeat(201) })).toThrow(/id/)
    expect(() => parseRequest('upload:urls', { urls: ['file:///etc/passwd'], board: 'b' })).toThrow(
      /urls\.0/,
    )
    expect(() =>
      parseRequest('upload:paths', { paths: Array(10_001).fill('/a'), board: 'b' }),
    ).toThrow(/paths/)
    expect(() => parseRequest('shell:open-external', { url: 'smb://share/x' })).toThrow(/url/)
    expect(() => parseRequest('plugins:set', { dest: 'x'.repeat(101) })).toThrow(/dest/)
    expect(() => parseRequest('dialog:pick-folder', { purpose: 'anything' })).toThrow(/purpose/)
    expect(() => parseRequest('settings:set', { concurrency: 1000 })).toThrow(
      /Files at once must be a whole number from 1 to 16/,
    )
    expect(() => parseRequest('app:info', { anything: true })).toThrow(/app:info/)
  })

  it('refuses settings out of range with words a person reads, never clamping them', () => {
    const refusal = (channel: 'settings:set' | 'pairs:update', payload: unknown): string => {
      try {
        parseRequest(channel, payload)
      } catch (error) {
        return (error as Error).message
      }
      return 'accepted'
    }
    for (const concurrency of [0, 17, 2.5, -1])
      expect(refusal('settings:set', { concurrency })).toBe(
        'settings:set: refused: Files at once must be a whole number from 1 to 16',
      )
    expect(refusal('settings:set', { bandwidthLimit: -1 })).toBe(
      'settings:set: refused: The bandwidth cap must be 0 (no cap) or a positive whole number of bytes per second, at most 10 GB/s',
    )
    expect(refusal('settings:set', { ignorePatterns: ['*.psd', 'renders/[ab'] })).toBe(
      'settings:set: refused: The ignore pattern "renders/[ab" has a "[" without a closing "]"',
    )
    expect(refusal('settings:set', { ignorePatterns: ['# notes'] })).toMatch(/comment/)
    expect(refusal('pairs:update', { id: 'p', settings: { ignorePatterns: ['x\\'] } })).toMatch(
      /refused: .*ends with a lone/,
    )
    expect(refusal('pairs:update', { id: 'p', settings: { onChange: 'delete-it' } })).toMatch(
      /refused: What a changed file becomes must be one of: version, new-asset, skip/,
    )
    // Hidden files are chosen with the folder only (the user's intent), never by a settings call.
    expect(refusal('pairs:update', { id: 'p', settings: { includeHidden: true } })).toMatch(
      /invalid request/,
    )
    expect(refusal('settings:set', { concurrency: 16, bandwidthLimit: 0 })).toBe('accepted')
    expect(
      refusal('pairs:update', { id: 'p', settings: { ignorePatterns: ['*.psd', '!keep.psd'] } }),
    ).toBe('accepted')
  })
})
