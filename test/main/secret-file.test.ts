import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSecretFile, type SecretCipher } from '../../src/main/secret-file.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The token file on a real disk. The cipher stands in for Electron's safeStorage (which needs a
// running Electron and an OS keyring): a reversible XOR, enough to show the file never holds the
// token in the clear when a keyring exists.
const token = 'pbk_live_0123456789abcdef'
const xor: SecretCipher = {
  encrypt: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decrypt: (sealed) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString('utf8'),
}
const tempFolder = tempFolders()

function recordingLog() {
  const lines: string[] = []
  const line = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`)
  return { lines, log: { info: line, warn: line, error: line } }
}

async function fresh() {
  const dir = await tempFolder('pbs-secret-')
  return { dir, file: join(dir, 'app', 'session.bin') }
}

describe('the token file', () => {
  it('is encrypted when the OS has a keyring, private, and wiped on sign-out', async () => {
    const { dir, file } = await fresh()
    const { lines, log } = recordingLog()
    const store = createSecretFile(file, log, () => xor)
    await store.set(token)
    const raw = await readFile(file)
    expect(raw.toString()).not.toContain(token)
    expect(Buffer.from(raw.toString().split(':').pop() ?? '', 'base64').toString()).not.toContain(
      token,
    )
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await store.get()).toBe(token)
    expect(lines).toEqual([])
    await store.clear()
    expect(await store.get()).toBeUndefined()
    expect(await readdir(join(dir, 'app'))).toEqual([])
  })

  it('without a keyring: still private, one warning, and the token in no log line', async () => {
    const { file } = await fresh()
    const { lines, log } = recordingLog()
    const store = createSecretFile(file, log, () => null)
    await store.set(token)
    await store.set(`${token}-2`)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await store.get()).toBe(`${token}-2`)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/No OS keyring/)
    expect(lines.join('\n')).not.toContain(token)
  })

  it('asks for a new sign-in when the keyring cannot open the file, without leaking it', async () => {
    const { file } = await fresh()
    const { lines, log } = recordingLog()
    await createSecretFile(file, log, () => xor).set(token)
    const broken: SecretCipher = {
      encrypt: xor.encrypt,
      decrypt: () => {
        throw new Error('keyring changed')
      },
    }
    expect(await createSecretFile(file, log, () => broken).get()).toBeUndefined()
    expect(await createSecretFile(file, log, () => null).get()).toBeUndefined()
    expect(lines.join('\n')).not.toContain(token)
  })

  it('survives two sign-ins at once and leaves no temp files', async () => {
    const { dir, file } = await fresh()
    const store = createSecretFile(file, recordingLog().log, () => xor)
    await Promise.all([store.set('first-token-value'), store.set('second-token-value')])
    expect(['first-token-value', 'second-token-value']).toContain(await store.get())
    expect(await readdir(join(dir, 'app'))).toEqual(['session.bin'])
  })
})
