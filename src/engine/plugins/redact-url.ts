/**
 * Signed URLs and callback URLs are credentials: log lines show where a request went, never the
 * signature or the token in the path.
 */

/** The URL with its query dropped and long token-like path segments replaced by `…`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const path = parsed.pathname
      .split('/')
      .map((segment) => (segment.length >= 16 ? '…' : segment))
      .join('/')
    return `${parsed.origin}${path}${parsed.search === '' ? '' : '?…'}`
  } catch {
    return '<invalid url>'
  }
}
