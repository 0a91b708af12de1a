import { describe, expect, it } from 'vitest'
import { redactLogParts } from '../../src/main/log-redaction.ts'

// Every part of a main-process log line, as electron-log hands it to the hook.
const token = 'tok_live_4f9a8b7c6d5e4f3a2b1c'
const signed =
  'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4&X-Goog-Credential=svc%40x' +
  '&X-Goog-Signature=9f8e7d6c5b4a&X-Goog-Expires=900'

describe('main-process log redaction', () => {
  it('never lets the token or a signature through, in strings, fields or errors', () => {
    const out = JSON.stringify(
      redactLogParts(
        [
          `signed in with ${token}`,
          { error: `GET ${signed} failed`, headers: { authorization: `Bearer ${token}` } },
          { nested: { deeper: [{ url: signed, note: `x ${token} y` }] } },
          new Error(`401 for ${token} at ${signed}`),
          { accessToken: 'anything', count: 3 },
        ],
        [token],
      ),
    )
    expect(out).not.toContain(token)
    expect(out).not.toContain('9f8e7d6c5b4a')
    expect(out).not.toContain('svc%40x')
    expect(out).not.toContain('anything')
    expect(out).toContain('storage.googleapis.com')
    expect(out).toContain('"count":3')
  })

  it('redacts bearer headers and signatures even before the token is known', () => {
    const out = JSON.stringify(redactLogParts([`Authorization: Bearer ${token}`, signed], []))
    expect(out).not.toContain(token)
    expect(out).not.toContain('9f8e7d6c5b4a')
  })
})
