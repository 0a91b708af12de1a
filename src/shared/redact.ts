/**
 * Redaction shared by every log and message the app writes (CLI, host, Electron): access tokens
 * and signed URLs must never reach a log line. Known secrets are replaced wherever they appear,
 * also URL-encoded; bearer headers, token fields, credentials in URLs, API keys, JWTs and URL
 * signatures by pattern. No Node, no DOM.
 */

const SECRET_KEYS = /token|secret|authorization|password|signature|code|api_?key|^key$/i
const PATTERNS: readonly [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, '$1[redacted]'],
  [
    /("?(?:access_token|token|integrationToken|readToken|secret|code)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
    '$1[redacted]',
  ],
  [
    /([?&](?:X-Goog-Signature|X-Goog-Credential|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|signature|sig|token|code|upload_id|secret)=)[^&\s"']+/gi,
    '$1[redacted]',
  ],
  [/\bpb_[A-Za-z0-9_-]{6,}/g, 'pb_[redacted]'],
  // Credentials in a URL's userinfo: https://user:token@host, https://token@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]+@/gi, '$1[redacted]@'],
  // API keys in queries and key=value text.
  [/(\b(?:api[_-]?key|apikey|key|access[_-]?key)=)[^&\s"',}]+/gi, '$1[redacted]'],
  // JSON Web Tokens anywhere (in paths too): three base64url parts, the first a JSON header.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
]

/** The forms a known secret takes in text: as is, and URL-encoded (either hex case, `+`). */
function secretForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret)
  return [
    ...new Set([
      secret,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      encoded.replace(/%20/g, '+'),
    ]),
  ]
}

/** Redacts one string, given the secrets known right now. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const s of secrets)
    if (s.length >= 4) for (const form of secretForms(s)) out = out.split(form).join('[redacted]')
  for (const [re, to] of PATTERNS) out = out.replace(re, to)
  return out
}

/** Redacts structured log fields: secret-looking keys lose their values, strings are scanned. */
export function redactFields(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 6) return '[deep]'
  if (typeof value === 'string') return redactText(value, secrets)
  if (value instanceof Error) return redactText(value.message, secrets)
  if (Array.isArray(value)) return value.map((v) => redactFields(v, secrets, depth + 1))
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_KEYS.test(k) && typeof v === 'string'
          ? '[redacted]'
          : redactFields(v, secrets, depth + 1)
    }
    return out
  }
  return value
}
