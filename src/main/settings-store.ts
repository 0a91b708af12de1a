/**
 * App settings in electron-store: a JSON schema that rejects bad values, defaults, and migrations
 * for files written by older versions. Exposed to the handlers as the same `SettingsPort` the
 * headless host implements with a plain file.
 */
import Store, { type Schema } from 'electron-store'
import { defaultSettings, settingsPatchSchema, type AppSettings } from '../shared/contract.ts'
import type { SettingsPort } from '../engine/contract-handlers.ts'
import type { PluginSettings, PluginSettingsPort } from '../engine/plugin-service.ts'
import { dropForeignChannel } from './ipc/serve-contract.ts'
import {
  migrateFirstBuildSettings,
  settingsMigrationVersions,
  type MigratingStore,
} from './settings-migrations.ts'

type Stored = {
  concurrency: number
  bandwidthLimit: number
  ignorePatterns: string[]
  onChange: 'version' | 'new-asset' | 'skip'
  notifications: boolean
  startAtLogin: boolean
  lastBoard: { token: string; title: string } | null
  /** Set once the partner bootstrap (seed 000) ran, so it runs on first launch only. */
  partnerBootstrapped: boolean
  /** The plugin host (null until first launch makes its secret); repaired by the plugin service. */
  plugins: PluginSettings | null
}

const schema: Schema<Stored> = {
  concurrency: { type: 'integer', minimum: 1, maximum: 16, default: defaultSettings.concurrency },
  bandwidthLimit: { type: 'integer', minimum: 0, default: defaultSettings.bandwidthLimit },
  ignorePatterns: {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 500 },
    maxItems: 200,
    default: [],
  },
  onChange: {
    type: 'string',
    enum: ['version', 'new-asset', 'skip'],
    default: defaultSettings.onChange,
  },
  notifications: { type: 'boolean', default: defaultSettings.notifications },
  startAtLogin: { type: 'boolean', default: defaultSettings.startAtLogin },
  lastBoard: {
    type: ['object', 'null'],
    properties: { token: { type: 'string', minLength: 1 }, title: { type: 'string' } },
    required: ['token', 'title'],
    additionalProperties: false,
    default: null,
  },
  partnerBootstrapped: { type: 'boolean', default: false },
  plugins: {
    type: ['object', 'null'],
    properties: {
      enabled: { type: 'boolean' },
      port: { type: 'integer', minimum: 0, maximum: 65_535 },
      dest: { type: 'string', minLength: 1, maxLength: 4096 },
      secret: { type: 'string', minLength: 16, maxLength: 256 },
    },
    default: null,
  },
}

/** The channel electron-store answers renderers on; our renderer never reads the store. */
const electronStoreChannel = 'electron-store-get-data'

/**
 * The electron-store holding the settings (`app-settings.json` in the user-data folder), private
 * to the user (0600): it holds the plugin host's secret.
 */
export function openSettingsStore(version: string, userData: string): Store<Stored> {
  const store = new Store<Stored>({
    name: 'app-settings',
    // Named outright rather than asked of Electron by electron-store.
    cwd: userData,
    schema,
    clearInvalidConfig: true,
    configFileMode: 0o600,
    projectVersion: version,
    migrations: {
      [settingsMigrationVersions[0]]: (store) =>
        migrateFirstBuildSettings(store as unknown as MigratingStore),
    },
  })
  dropForeignChannel(electronStoreChannel)
  return store
}

/** The settings port over the store. */
export function storeSettings(
  store: Store<Stored>,
  onChange?: (settings: AppSettings) => void,
): SettingsPort {
  const read = (): AppSettings => ({
    concurrency: store.get('concurrency'),
    bandwidthLimit: store.get('bandwidthLimit'),
    ignorePatterns: store.get('ignorePatterns'),
    onChange: store.get('onChange'),
    notifications: store.get('notifications'),
    startAtLogin: store.get('startAtLogin'),
    lastBoard: store.get('lastBoard'),
  })
  return {
    get: read,
    async set(patch) {
      const valid = settingsPatchSchema.parse(patch)
      for (const [key, value] of Object.entries(valid)) {
        if (value !== undefined) store.set(key as keyof Stored, value as never)
      }
      const next = read()
      onChange?.(next)
      return next
    },
  }
}

/** Whether the partner bootstrap already ran; and marks it done. */
export function partnerBootstrapState(store: Store<Stored>) {
  return {
    done: () => store.get('partnerBootstrapped'),
    markDone: () => store.set('partnerBootstrapped', true),
  }
}

/** The plugin host's settings in the same store (the settings file is private to the user). */
export function storePluginSettings(store: Store<Stored>): PluginSettingsPort {
  return {
    load: async () => store.get('plugins'),
    save: async (settings) => store.set('plugins', { ...settings }),
  }
}
