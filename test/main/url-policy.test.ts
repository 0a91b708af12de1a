import { afterEach, describe, expect, it } from 'vitest'
import {
  isExternalWebUrl,
  isRendererUrl,
  permissionAllowed,
  rendererUrl,
} from '../../src/main/url-policy.ts'

// What the window lets through: navigation, IPC senders, external links, permissions.
const here = '/opt/app/out/main'
const ours = rendererUrl(here)
const saved = process.env.ELECTRON_RENDERER_URL

afterEach(() => {
  if (saved === undefined) delete process.env.ELECTRON_RENDERER_URL
  else process.env.ELECTRON_RENDERER_URL = saved
})

describe('url policy', () => {
  it('knows our renderer and nothing else', () => {
    delete process.env.ELECTRON_RENDERER_URL
    expect(isRendererUrl(rendererUrl(here), here)).toBe(true)
    expect(isRendererUrl(`${rendererUrl(here)}#/activity`, here)).toBe(true)
    for (const url of [
      undefined,
      '',
      'file:///etc/passwd',
      'file:///opt/app/out/renderer/other.html',
      'https://evil.test/',
      'data:text/html,<script>1</script>',
      'not a url',
    ])
      expect(isRendererUrl(url, here), String(url)).toBe(false)
  })

  it('checks the dev server by origin and path, not by prefix', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/'
    expect(isRendererUrl('http://localhost:5173/', here)).toBe(true)
    expect(isRendererUrl('http://localhost:5174/', here)).toBe(false)
    expect(isRendererUrl('http://localhost:5173.evil.test/', here)).toBe(false)
    expect(isRendererUrl('http://user:pw@localhost:5173/', here)).toBe(false)
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
    delete process.env.ELECTRON_RENDERER_URL
    expect(permissionAllowed('clipboard-sanitized-write', ours, here)).toBe(true)
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.test/', here)).toBe(false)
    expect(permissionAllowed('clipboard-sanitized-write', 'data:text/html,x', here)).toBe(false)
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ])
      expect(permissionAllowed(permission, ours, here), permission).toBe(false)
  })
})
