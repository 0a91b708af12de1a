/**
 * Which URLs count as ours and which may leave the app: pure checks (no Electron), shared by the
 * window's navigation lock, the IPC sender check and the permission handlers, and unit-tested.
 */
import { join } from 'node:path'

/** Where the renderer is loaded from (the dev server, or the built file). */
export function rendererUrl(here: string): string {
  return process.env.ELECTRON_RENDERER_URL ?? `file://${join(here, '../renderer/index.html')}`
}

/** True when `url` is our renderer (used to check IPC senders and navigation). */
export function isRendererUrl(url: string | undefined, here: string): boolean {
  if (!url) return false
  try {
    const actual = new URL(url)
    const expected = new URL(rendererUrl(here))
    return (
      actual.protocol === expected.protocol &&
      actual.host === expected.host &&
      actual.pathname === expected.pathname &&
      actual.username === '' &&
      actual.password === ''
    )
  } catch {
    return false
  }
}

/** True for links the browser may open: http(s) only (no file:, smb:, custom schemes). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * The one permission the renderer needs ("copy invocation URL" writes to the clipboard), and only
 * for our own page; everything else (camera, geolocation, notifications, reading the clipboard…)
 * is refused.
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string,
  here: string,
): boolean {
  if (permission !== 'clipboard-sanitized-write') return false
  if (isRendererUrl(requestingUrl, here)) return true
  // Permission checks name only the origin; file:// pages have the opaque origin "file://".
  try {
    const expected = new URL(rendererUrl(here))
    const actual = new URL(requestingUrl)
    // file: origins are opaque ("null", like data: pages): compare the scheme instead.
    if (expected.protocol === 'file:') return actual.protocol === 'file:'
    return actual.origin === expected.origin
  } catch {
    return false
  }
}
