import { describe, expect, it } from 'vitest'
import { redactFields, redactText } from '../../src/shared/redact.ts'

// The cases a review found getting through, each as it would appear in a log line.

describe('redaction (shared by every log)', () => {
  const token = 'Zk3+q/9vT!xQ rW'

  it('hides credentials in a URL’s userinfo', () => {
    const line = redactText('GET https://me:s3cr3t-pass@api.example.test/v1/x failed')
    expect(line).not.toContain('s3cr3t-pass')
    expect(line).toContain('https://[redacted]@api.example.test/v1/x')
    expect(redactText('https://onlytoken123@host.test/')).not.toContain('onlytoken123')
  })

  it('hides key= and apikey= values', () => {
    for (const text of [
      'https://maps.test/api?key=AIzaSyA-123456&x=1',
      'https://x.test/?apikey=abcdef123456',
      'https://x.test/?api_key=abcdef123456',
      'config: key=abcdef123456',
    ]) {
      const out = redactText(text)
      expect(out, text).not.toMatch(/AIzaSyA-123456|abcdef123456/)
    }
    expect(redactFields({ apiKey: 'abc', api_key: 'def' })).toEqual({
      apiKey: '[redacted]',
      api_key: '[redacted]',
    })
  })

  it('hides JWTs, also inside paths', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
    const out = redactText(`PUT https://storage.test/upload/${jwt}/part failed`)
    expect(out).not.toContain(jwt.split('.')[1])
    expect(out).toContain('https://storage.test/upload/[redacted-jwt]/part')
  })

  it('hides a known secret also when it is URL-encoded', () => {
    const encoded = encodeURIComponent(token)
    for (const text of [
      `token was ${token}`,
      `https://x.test/cb?t=${encoded}`,
      `https://x.test/cb?t=${encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
      `form: t=${encoded.replace(/%20/g, '+')}`,
    ])
      expect(redactText(text, [token]), text).not.toMatch(/zk3|xq/i)
  })
})
