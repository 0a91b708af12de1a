/**
 * The shared secret that proves an invocation came from someone we gave the URL to: Playbook does
 * not document how it signs invocations, so the plugin host never trusts a request only because
 * it arrived.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Secrets go into URLs: URL-safe characters only, and long enough not to be guessed. */
const secretPattern = /^[A-Za-z0-9_-]{16,256}$/

/** Throws a clear error when `secret` is too short or not URL-safe. */
export function assertUsableSecret(secret: string): void {
  if (!secretPattern.test(secret)) {
    throw new Error('plugin secret must be 16-256 characters of letters, digits, "_" or "-"')
  }
}

/** A fresh random secret, for a host started without one. */
export function generateSecret(): string {
  return randomBytes(24).toString('base64url')
}

/** Compares in constant time (hashing first, so the length does not leak either). */
export function secretMatches(candidate: string, secret: string): boolean {
  const a = createHash('sha256').update(candidate).digest()
  const b = createHash('sha256').update(secret).digest()
  return timingSafeEqual(a, b)
}
