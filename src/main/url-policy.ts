/**
 * Which URLs count as ours and which may leave the app: pure checks (no Electron), shared by the
 * window's navigation lock, the IPC sender check and the permission handlers, and unit-tested.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Where the renderer comes from: the built file beside `here` (out/main), or, in development only,
 * the dev server electron-vite names in ELECTRON_RENDERER_URL. A packaged app never honours that
 * variable: anyone who can set the environment would otherwise choose the page that gets the IPC.
 */
export interface RendererSource {
  /** The folder holding the main bundle (out/main). */
  readonly here: string
  /** The dev server's URL, or null for the built file. */
  readonly devServer: string | null
}

/** Decides the renderer source once, at start-up. */
export function rendererSource(
  here: string,
  env: Readonly<Record<string, string | undefined>>,
  packaged: boolean,
): RendererSource {
  const dev = env.ELECTRON_RENDERER_URL
  return { here, devServer: !packaged && dev ? dev : null }
}

/**
 * Where the renderer is loaded from. The file URL is built with pathToFileURL, so an install path
 * holding `#`, `%`, `?` or spaces names the right file (string concatenation would not).
 */
export function rendererUrl(source: RendererSource): string {
  return source.devServer ?? pathToFileURL(join(source.here, '../renderer/index.html')).href
}

/** True when `url` is our renderer (used to check IPC senders and navigation). */
export function isRendererUrl(url: string | undefined, source: RendererSource): boolean {
  if (!url) return false
  try {
    const actual = new URL(url)
    const expected = new URL(rendererUrl(source))
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
  source: RendererSource,
): boolean {
  if (permission !== 'clipboard-sanitized-write') return false
  if (isRendererUrl(requestingUrl, source)) return true
  // Permission checks name only the origin; file:// pages have the opaque origin "file://".
  try {
    const expected = new URL(rendererUrl(source))
    const actual = new URL(requestingUrl)
    // file: origins are opaque ("null", like data: pages): compare the scheme instead.
    if (expected.protocol === 'file:') return actual.protocol === 'file:'
    return actual.origin === expected.origin
  } catch {
    return false
  }
}
