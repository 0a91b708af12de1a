/**
 * Migrations for settings files written by older builds, kept apart from electron-store (no
 * Electron here) so tests can check them. electron-store runs a migration only when the app's
 * version is at least its key, and it runs them before the schema check: a key above the app's
 * version never runs, the old file then fails the schema, and `clearInvalidConfig` wipes every
 * setting (the partner bootstrap runs again, the plugin secret and its URLs change). A test holds
 * every key at or below package.json's version.
 */

/** The versions the migrations are keyed by. */
export const settingsMigrationVersions = ['0.1.0'] as const

/** The part of a store a migration touches. */
export interface MigratingStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/**
 * The first desktop builds stored the cap as `bwlimit` (bytes/s) and the patterns as one
 * comma-separated string. Idempotent: a file already in today's shape is left as it is.
 */
export function migrateFirstBuildSettings(store: MigratingStore): void {
  const bwlimit = store.get('bwlimit')
  if (typeof bwlimit === 'number' && bwlimit >= 0) store.set('bandwidthLimit', Math.round(bwlimit))
  store.delete('bwlimit')
  const patterns = store.get('ignorePatterns')
  if (typeof patterns === 'string') {
    store.set(
      'ignorePatterns',
      patterns
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
  }
}
