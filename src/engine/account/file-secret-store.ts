/**
 * The CLI's SecretStore: the access token in a private file (mode 0600) in the home folder. The
 * desktop app uses safeStorage instead; both satisfy the same port, so the engine cannot tell.
 */
import { chmod, mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SecretStore } from '../engine-types.ts'

/** Stores one secret in `file`; the file and its folder are readable by the owner only. */
export function createFileSecretStore(file: string): SecretStore {
  return {
    async get() {
      try {
        const value = (await readFile(file, 'utf8')).trim()
        return value === '' ? undefined : value
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw e
      }
    },
    async set(value) {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, value, { mode: 0o600 })
      await chmod(tmp, 0o600)
      await rename(tmp, file)
    },
    async clear() {
      await rm(file, { force: true })
    },
  }
}

/** Where the CLI keeps its token inside a home folder. */
export function tokenFile(home: string): string {
  return join(home, 'token')
}

/** A SecretStore that keeps the secret in memory only: for tokens given by flag or environment. */
export function createMemorySecretStore(initial?: string): SecretStore {
  let value = initial
  return {
    get: () => Promise.resolve(value),
    set: (v) => {
      value = v
      return Promise.resolve()
    },
    clear: () => {
      value = undefined
      return Promise.resolve()
    },
  }
}
