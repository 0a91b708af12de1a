/**
 * The access token, encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) in
 * a file only the user can read. Where the OS has no keyring, safeStorage cannot protect it: we say
 * so in the log and keep the file private (0600) rather than refuse to work.
 */
import { safeStorage } from './electron-api.ts'
import type { Logger, SecretStore } from '../engine/engine-types.ts'
import { createSecretFile, type SecretCipher } from './secret-file.ts'

/** True when safeStorage really encrypts (not Linux's "basic_text" fallback). */
function strongEncryption(): boolean {
  try {
    if (!safeStorage.isEncryptionAvailable()) return false
    if (process.platform === 'linux')
      return safeStorage.getSelectedStorageBackend() !== 'basic_text'
    return true
  } catch {
    // No keyring service reachable: the file stays private (0600), as without a keyring.
    return false
  }
}

const safeStorageCipher: SecretCipher = {
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (sealed) => safeStorage.decryptString(sealed),
}

/** A SecretStore backed by `file`, encrypted with safeStorage where that means something. */
export function createSafeSecretStore(file: string, log: Logger): SecretStore {
  return createSecretFile(file, log, () => (strongEncryption() ? safeStorageCipher : null))
}
