import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  isExternalWebUrl,
  isRendererUrl,
  permissionAllowed,
  rendererSource,
  rendererUrl,
} from '../../src/main/url-policy.ts'

// What the window lets through: navigation, IPC senders, external links, permissions.
const here = '/opt/app/out/main'
const built = rendererSource(here, {}, false)
const ours = rendererUrl(built)
const dev = rendererSource(here, { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, false)

describe('url policy', () => {
  it('knows our renderer and nothing else', () => {
    expect(isRendererUrl(ours, built)).toBe(true)
    expect(isRendererUrl(`${ours}#/activity`, built)).toBe(true)
    for (const url of [
      undefined,
      '',
      'file:///etc/passwd',
      'file:///opt/app/out/renderer/other.html',
      'https://evil.test/',
      'data:text/html,<script>1</script>',
      'not a url',
    ])
      expect(isRendererUrl(url, built), String(url)).toBe(false)
  })

  it('checks the dev server by origin and path, not by prefix', () => {
    expect(isRendererUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isRendererUrl('http://localhost:5173.evil.test/', dev)).toBe(false)
    expect(isRendererUrl('http://user:pw@localhost:5173/', dev)).toBe(false)
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app', () => {
    const packaged = rendererSource(here, { ELECTRON_RENDERER_URL: 'https://evil.test/' }, true)
    expect(rendererUrl(packaged)).toBe('file:///opt/app/out/renderer/index.html')
    expect(isRendererUrl('https://evil.test/', packaged)).toBe(false)
  })

  it('builds a file URL that names the right file whatever the install path holds', () => {
    // `#` would start a fragment and `%` an escape if the path were pasted into a URL.
    const odd = '/opt/Play book #2 100%/resources/app/out/main'
    const source = rendererSource(odd, {}, true)
    const url = rendererUrl(source)
    expect(fileURLToPath(url)).toBe('/opt/Play book #2 100%/resources/app/out/renderer/index.html')
    expect(new URL(url).hash).toBe('')
    // What Chromium reports as the frame URL is the same URL: the sender check accepts it.
    expect(isRendererUrl(new URL(url).href, source)).toBe(true)
    expect(isRendererUrl('file:///opt/Play%20book%20', source)).toBe(false)
  })

  it('opens only http(s) links in the browser', () => {
    expect(isExternalWebUrl('https://www.playbook.com/s/x')).toBe(true)
    expect(isExternalWebUrl('http://127.0.0.1:4000/boards/b')).toBe(true)
    for (const url of [
      'file:///etc/passwd',
      'smb://share/x',
      'javascript:alert(1)',
      'playbook-sync://auth?code=x',
      'ms-msdt:/id',
      'https//missing-colon',
    ])
      expect(isExternalWebUrl(url), url).toBe(false)
  })

  it('grants only clipboard writes, and only to our page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', ours, built)).toBe(true)
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.test/', built)).toBe(false)
    expect(permissionAllowed('clipboard-sanitized-write', 'data:text/html,x', built)).toBe(false)
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ])
      expect(permissionAllowed(permission, ours, built), permission).toBe(false)
  })
})
