/**
 * The access token, encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) in
 * a file only the user can read. Where the OS has no keyring, safeStorage cannot protect it: we say
 * so in the log and keep the file private (0600) rather than refuse to work.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { safeStorage } from 'electron'
import type { Logger, SecretStore } from '../engine/engine-types.ts'

const encryptedTag = 'v1:safe:'
const plainTag = 'v1:plain:'

/** True when safeStorage really encrypts (not Linux's "basic_text" fallback). */
function strongEncryption(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false
  if (process.platform === 'linux') return safeStorage.getSelectedStorageBackend() !== 'basic_text'
  return true
}

/** A SecretStore backed by `file`. */
export function createSafeSecretStore(file: string, log: Logger): SecretStore {
  let warned = false
  return {
    async get() {
      let raw: string
      try {
        raw = await readFile(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
      if (raw.startsWith(encryptedTag)) {
        try {
          return safeStorage.decryptString(Buffer.from(raw.slice(encryptedTag.length), 'base64'))
        } catch {
          log.warn('The stored sign-in could not be decrypted (keyring changed?); sign in again')
          return undefined
        }
      }
      if (raw.startsWith(plainTag))
        return Buffer.from(raw.slice(plainTag.length), 'base64').toString('utf8')
      return undefined
    },
    async set(value) {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      let body: string
      if (strongEncryption()) {
        body = encryptedTag + safeStorage.encryptString(value).toString('base64')
      } else {
        if (!warned) {
          log.warn('No OS keyring: the sign-in is stored unencrypted in a file only you can read')
          warned = true
        }
        body = plainTag + Buffer.from(value, 'utf8').toString('base64')
      }
      const temp = `${file}.${process.pid}.tmp`
      await writeFile(temp, body, { mode: 0o600 })
      await chmod(temp, 0o600)
      await rename(temp, file)
    },
    async clear() {
      await rm(file, { force: true })
    },
  }
}
