/**
 * The session's non-secret half (API URL, org, whether it is the sandbox) in a small JSON file in
 * the home folder, so the next run signs in again without asking. The token is never written here.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Org } from '../../shared/account-models.ts'

/** What survives a restart. */
export interface SessionSettings {
  readonly apiUrl?: string
  readonly org?: Org
  readonly sandbox?: boolean
  /** Set while a magic link is on its way to this address. */
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
  await mkdir(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 })
  await rename(tmp, file)
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
