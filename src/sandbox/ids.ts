/** Random identifiers for tokens, signed_gcs_ids, sessions and codes. */
import { randomBytes } from 'node:crypto'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A random base62 string of `length` characters (starts with a letter, so never numeric). */
export function randomId(length = 24): string {
  const bytes = randomBytes(length)
  let out = ''
  for (let i = 0; i < length; i++) {
    const b = bytes[i] ?? 0
    out += i === 0 ? ALPHABET[b % 52] : ALPHABET[b % 62]
  }
  return out
}
