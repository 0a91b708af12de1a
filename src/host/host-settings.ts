/**
 * Settings for the headless host: a JSON file in the engine's home (the app uses electron-store).
 * Unknown or invalid stored values fall back to the defaults, field by field.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { defaultSettings, settingsPatchSchema, type AppSettings } from '../shared/contract.ts'
import type { SettingsPort } from '../engine/contract-handlers.ts'

/** Loads settings from `file` (missing → defaults) and writes every change back atomically. */
export async function fileSettings(file: string): Promise<SettingsPort> {
  let current: AppSettings = defaultSettings
  try {
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'))
    current = mergeValid(defaultSettings, raw)
  } catch {
    current = defaultSettings
  }
  return {
    get: () => current,
    async set(patch) {
      current = mergeValid(current, patch)
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      const temp = `${file}.${process.pid}.tmp`
      await writeFile(temp, JSON.stringify(current, null, 2), { mode: 0o600 })
      await rename(temp, file)
      return current
    },
  }
}

/** Settings kept in memory only (tests, throwaway hosts). */
export function memorySettings(initial: Partial<AppSettings> = {}): SettingsPort {
  let current: AppSettings = mergeValid(defaultSettings, initial)
  return {
    get: () => current,
    set: async (patch) => (current = mergeValid(current, patch)),
  }
}

/** Applies the valid fields of an untrusted patch; invalid ones are dropped. */
function mergeValid(base: AppSettings, raw: unknown): AppSettings {
  if (typeof raw !== 'object' || raw === null) return base
  const next: Record<string, unknown> = { ...base }
  const shape = settingsPatchSchema.shape
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue
    const parsed = shape[key as keyof typeof shape].safeParse(value)
    if (parsed.success && parsed.data !== undefined) next[key] = parsed.data
  }
  return next as unknown as AppSettings
}
