/**
 * The token file itself, independent of Electron: encrypted with the given cipher when the OS
 * offers a real keyring, otherwise stored in a file only the user can read (0600, in a 0700
 * folder) with a warning in the log. The token never appears in a log line either way.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Logger, SecretStore } from '../engine/engine-types.ts'

/** Encryption the OS provides (Electron's safeStorage); null where it would not protect anything. */
export interface SecretCipher {
  encrypt(plain: string): Buffer
  decrypt(sealed: Buffer): string
}

const encryptedTag = 'v1:safe:'
const plainTag = 'v1:plain:'

/** A SecretStore backed by `file`; `cipher()` is asked at every write (the keyring may appear). */
export function createSecretFile(
  file: string,
  log: Logger,
  cipher: () => SecretCipher | null,
): SecretStore {
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
        const current = cipher()
        if (!current) {
          log.warn('The stored sign-in is encrypted but no keyring is available; sign in again')
          return undefined
        }
        try {
          return current.decrypt(Buffer.from(raw.slice(encryptedTag.length), 'base64'))
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
      const current = cipher()
      let body: string
      if (current) {
        body = encryptedTag + current.encrypt(value).toString('base64')
      } else {
        if (!warned) {
          log.warn('No OS keyring: the sign-in is stored unencrypted in a file only you can read')
          warned = true
        }
        body = plainTag + Buffer.from(value, 'utf8').toString('base64')
      }
      // A unique temp name: two sign-ins at once must not rename each other's file away.
      const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(temp, body, { mode: 0o600 })
        await chmod(temp, 0o600)
        await rename(temp, file)
      } catch (error) {
        await rm(temp, { force: true })
        throw error
      }
    },
    async clear() {
      await rm(file, { force: true })
    },
  }
}
