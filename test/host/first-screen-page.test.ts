import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { pageWithFirstScreen, withStyleNonce } from '../../src/host/first-screen-page.ts'
import { hostContentSecurityPolicy } from '../../src/host/static-files.ts'

// The host's page with its first screen drawn in: the markup replaces only #root's outline, the
// places go into one <style> with the answer's nonce, and the page's meta policy names that nonce
// (the header says the same: withStyleNonce on the host's policy).

const indexHtml = await readFile(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
const markup =
  '<div class="app-frame"><div role="list"><div class="job-slot" data-style="transform:translateY(64px);height:64px;">a</div>' +
  '<div class="job-slot" data-style="background:url(https://evil.test/x)">b</div></div></div>'

describe('pageWithFirstScreen', () => {
  it('puts the markup in #root, its places in a <style> with the nonce, and the nonce in the policy', () => {
    const page = pageWithFirstScreen(indexHtml, markup, 'n0nce')!
    expect(page).not.toContain('data-outline>')
    expect(page).toContain('<div id="root"><div class="app-frame"><div role="list">')
    expect(page).toContain(
      '<style nonce="n0nce">[data-place="0"]{transform:translateY(64px);height:64px;}</style></head>',
    )
    expect(page).toContain("style-src 'self' 'nonce-n0nce'")
    // The rest of the page is as it was.
    expect(page).toContain('<title>Playbook Sync</title>')
    expect(page.trimEnd().endsWith('</html>')).toBe(true)
  })

  it('keeps only plain places: anything that could load or run something is dropped', () => {
    const page = pageWithFirstScreen(indexHtml, markup, 'n0nce')!
    expect(page).not.toContain('evil.test')
    expect(page).not.toContain('data-style')
    expect(page.match(/data-place=/g)).toHaveLength(2) // one element, one rule
  })

  it('leaves a page of another shape alone (it is then sent as the file)', () => {
    expect(pageWithFirstScreen('<html><body>no root</body></html>', markup, 'n')).toBeNull()
    expect(
      pageWithFirstScreen(indexHtml.replace("style-src 'self'", "style-src 'none'"), markup, 'n'),
    ).toBeNull()
  })
})

describe('withStyleNonce', () => {
  it('adds the nonce to style-src only', () => {
    const policy = withStyleNonce(hostContentSecurityPolicy, 'abc')
    expect(policy).toContain("style-src 'self' 'nonce-abc'")
    expect(policy).toContain("script-src 'self';")
    expect(policy).not.toMatch(/unsafe-inline/)
  })
})
