/**
 * The headless host's page with its first screen already in it: index.html with the activity
 * screen drawn where the "Starting…" outline was (engine/first-screen.ts), so the browser paints
 * the user's list with the page itself, before the renderer's script has loaded. The app draws
 * itself in its place once its own answers are in.
 *
 * The page's CSP refuses style attributes in markup, so the places the drawing gives rows (as
 * `data-style`) go into one <style> element carrying this answer's nonce, which the policy (the
 * header and the page's meta tag, both) names for this answer only.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { hostContentSecurityPolicy, securityHeaders } from './static-files.ts'

/** A fresh nonce for one answer. */
export const newNonce = (): string => randomBytes(18).toString('base64')

/** The policy `policy` with style elements carrying `nonce` allowed too. */
export function withStyleNonce(policy: string, nonce: string): string {
  return policy.replace(/style-src 'self'/, `style-src 'self' 'nonce-${nonce}'`)
}

/** What a place may say: numbers, units and the few functions the list uses. */
const plainDeclarations = /^[a-zA-Z0-9 .:;(),%-]*$/

/**
 * index.html with `markup` in #root, its places in a <style nonce> and the meta policy naming the
 * nonce; null when the page does not have the shape this expects (then it is sent as it is).
 */
export function pageWithFirstScreen(
  indexHtml: string,
  markup: string,
  nonce: string,
): string | null {
  // #root is the body's last element (scripts may follow it): its end is the last </div> there.
  const root = /(<div id="root">)[\s\S]*(<\/div>\s*(?:<script\b[^>]*><\/script>\s*)*<\/body>)/
  if (!root.test(indexHtml) || !indexHtml.includes('</head>')) return null
  if (!/style-src 'self'/.test(indexHtml)) return null
  const rules: string[] = []
  const placed = markup.replace(/ data-style="([^"]*)"/g, (_all, declarations: string) => {
    if (!plainDeclarations.test(declarations)) return ''
    rules.push(`[data-place="${rules.length}"]{${declarations}}`)
    return ` data-place="${rules.length - 1}"`
  })
  return withStyleNonce(indexHtml, nonce)
    .replace('</head>', () => `<style nonce="${nonce}">${rules.join('')}</style></head>`)
    .replace(root, (_all, open: string, close: string) => `${open}${placed}${close}`)
}

/**
 * Answers a request for the page with its first screen drawn in (`draw`: the contract's
 * `first-screen:draw`); false when there is nothing to draw or the page cannot take it, and the
 * caller serves index.html as a file. The page then holds the user's file names: never cached.
 */
export async function serveFirstScreenPage(
  rendererDir: string,
  draw: () => Promise<string | null>,
  res: ServerResponse,
): Promise<boolean> {
  const markup = await draw()
  if (markup === null) return false
  let indexHtml: string
  try {
    indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8')
  } catch {
    return false
  }
  const nonce = newNonce()
  const page = pageWithFirstScreen(indexHtml, markup, nonce)
  if (page === null) return false
  res
    .writeHead(200, {
      ...securityHeaders,
      'content-security-policy': withStyleNonce(hostContentSecurityPolicy, nonce),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(page)
  return true
}
