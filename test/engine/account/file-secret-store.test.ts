import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createFileSecretStore,
  createMemorySecretStore,
  tokenFile,
} from '../../../src/engine/account/file-secret-store.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('file secret store', () => {
  const tempFolder = tempFolders()
  let home: string
  beforeEach(async () => {
    home = await tempFolder('pbs-secret-')
  })

  it('keeps the token in a file only its owner can read, and forgets it on clear', async () => {
    const store = createFileSecretStore(tokenFile(join(home, 'nested')))
    expect(await store.get()).toBeUndefined()
    await store.set('pb_secret_value')
    expect(await store.get()).toBe('pb_secret_value')
    const info = await stat(tokenFile(join(home, 'nested')))
    expect(info.mode & 0o777).toBe(0o600)
    // A second store on the same file sees it (the next CLI run).
    expect(await createFileSecretStore(tokenFile(join(home, 'nested'))).get()).toBe(
      'pb_secret_value',
    )
    await store.clear()
    expect(await store.get()).toBeUndefined()
  })

  it('memory store never touches disk', async () => {
    const store = createMemorySecretStore('a')
    expect(await store.get()).toBe('a')
    await store.set('b')
    expect(await store.get()).toBe('b')
    await store.clear()
    expect(await store.get()).toBeUndefined()
  })
})
