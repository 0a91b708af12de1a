import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { hostContentSecurityPolicy } from '../../src/host/static-files.ts'

// The renderer's CSP lives twice: a meta tag in index.html (Electron loads a file) and the host's
// header. Both must be strict, and must not drift apart.

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name ?? '', values.sort()]),
  )
}

async function metaPolicy(): Promise<string> {
  const html = await readFile(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
  if (!match?.[1]) throw new Error('index.html has no CSP meta tag')
  return match[1]
}

describe('content security policy', () => {
  it('is strict: no inline or eval script, no plugins, no frames, no base or form tricks', async () => {
    for (const policy of [hostContentSecurityPolicy, await metaPolicy()]) {
      const d = directives(policy)
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic/)
      for (const values of d.values()) expect(values).not.toContain('*')
      expect(d.get('default-src')).toEqual(["'self'"])
      expect(d.get('script-src')).toEqual(["'self'"])
      expect(d.get('object-src')).toEqual(["'none'"])
      expect(d.get('frame-src')).toEqual(["'none'"])
      expect(d.get('base-uri')).toEqual(["'none'"])
      expect(d.get('form-action')).toEqual(["'none'"])
      expect(d.get('connect-src')?.every((s) => !s.startsWith('http'))).toBe(true)
    }
    expect(directives(hostContentSecurityPolicy).get('frame-ancestors')).toEqual(["'none'"])
  })

  it('says the same in the meta tag and the header (frame-ancestors only works as a header)', async () => {
    const header = directives(hostContentSecurityPolicy)
    header.delete('frame-ancestors')
    expect(directives(await metaPolicy())).toEqual(header)
  })
})
