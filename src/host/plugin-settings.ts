/**
 * Plugin host settings for the headless host: a private JSON file in the engine's home (the app
 * keeps them in electron-store). Private because the secret is in it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { PluginSettings, PluginSettingsPort } from '../engine/plugin-service.ts'

/** Reads and atomically writes `file` (mode 0600); a missing or broken file is a fresh install. */
export function filePluginSettings(file: string): PluginSettingsPort {
  return {
    async load() {
      try {
        const raw: unknown = JSON.parse(await readFile(file, 'utf8'))
        return typeof raw === 'object' && raw !== null ? (raw as Partial<PluginSettings>) : null
      } catch {
        return null
      }
    },
    async save(settings) {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      const temp = `${file}.${process.pid}.tmp`
      await writeFile(temp, JSON.stringify(settings, null, 2), { mode: 0o600 })
      await rename(temp, file)
    },
  }
}

/** Plugin settings kept in memory only (tests, throwaway hosts). */
export function memoryPluginSettings(initial: Partial<PluginSettings> = {}): PluginSettingsPort {
  let current: Partial<PluginSettings> | null = Object.keys(initial).length > 0 ? initial : null
  return {
    load: async () => current,
    save: async (settings) => {
      current = settings
    },
  }
}
