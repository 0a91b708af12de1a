/**
 * The session's non-secret half (API URL, org, whether it is the sandbox) in a small JSON file in
 * the home folder, so the next run signs in again without asking. The token is never written here.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Org } from '../../shared/account-models.ts'

/** A magic link on its way: where it was asked for, to whom, its nonce and when it stops counting. */
export interface PendingLink {
  readonly apiUrl: string
  readonly email: string
  /** The random `state` sent in the redirect URI; a link without it is not ours. */
  readonly state: string
  /** Milliseconds since the epoch. */
  readonly expiresAt: number
}

/** What survives a restart. */
export interface SessionSettings {
  /** The API the stored token was issued by: the only server it is ever sent to. */
  readonly apiUrl?: string
  /** A fingerprint of that token, so a token stored by someone else is never paired with `apiUrl`. */
  readonly tokenId?: string
  readonly org?: Org
  readonly sandbox?: boolean
  readonly pendingLink?: PendingLink
  /** Files written before links carried a nonce; read only to refuse them. */
  readonly pendingEmail?: string
}

/** The settings file inside a home folder. */
export function settingsFile(home: string): string {
  return join(home, 'settings.json')
}

/** Reads the settings; a missing or unreadable file means none (a bad file is not fatal). */
export async function readSessionSettings(file: string): Promise<SessionSettings> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (typeof parsed !== 'object' || parsed === null) return {}
    const o = parsed as Record<string, unknown>
    return {
      ...(typeof o.apiUrl === 'string' ? { apiUrl: o.apiUrl } : {}),
      ...(typeof o.tokenId === 'string' ? { tokenId: o.tokenId } : {}),
      ...(isPendingLink(o.pendingLink) ? { pendingLink: o.pendingLink } : {}),
      ...(isOrg(o.org) ? { org: { id: o.org.id, slug: o.org.slug, name: o.org.name } } : {}),
      ...(typeof o.sandbox === 'boolean' ? { sandbox: o.sandbox } : {}),
      ...(typeof o.pendingEmail === 'string' ? { pendingEmail: o.pendingEmail } : {}),
    }
  } catch {
    return {}
  }
}

/** Writes the settings atomically (a crash leaves the old file or the new one, never half). */
export async function writeSessionSettings(file: string, settings: SessionSettings): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 })
  await rename(tmp, file)
}

function isPendingLink(v: unknown): v is PendingLink {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.apiUrl === 'string' &&
    typeof o.email === 'string' &&
    typeof o.state === 'string' &&
    typeof o.expiresAt === 'number'
  )
}

function isOrg(v: unknown): v is Org {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.slug === 'string' &&
    typeof o.name === 'string' &&
    (typeof o.id === 'string' || typeof o.id === 'number')
  )
}
