/**
 * The renderer's Content-Security-Policy in `npm run dev` only: Vite injects the styles as inline
 * <style> elements and React fast refresh an inline script, which the production policy
 * (`style-src 'self'`, `script-src 'self'`) blocks, leaving the app unstyled. The built renderer
 * keeps the strict policy.
 */

/** Loosens the CSP meta tag of index.html for the dev server. */
export function devCsp(html: string): string {
  return html
    .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
}
