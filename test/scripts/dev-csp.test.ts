import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { devCsp } from '../../scripts/dev-csp.ts'

const directive = (html: string, name: string) => {
  const policy = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
  return (
    policy
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? ''
  )
}

describe('the dev server CSP', () => {
  it('lets Vite inject styles and fast refresh in dev, and keeps the built page strict', async () => {
    const html = await readFile(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
    expect(directive(devCsp(html), 'style-src')).toBe("style-src 'self' 'unsafe-inline'")
    expect(directive(devCsp(html), 'script-src')).toBe("script-src 'self' 'unsafe-inline'")
    expect(directive(html, 'style-src')).toBe("style-src 'self'")
    expect(directive(html, 'script-src')).toBe("script-src 'self'")
  })
})
