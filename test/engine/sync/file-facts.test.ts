import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { hashFile, hashSmallSync, WHOLE_READ_MAX } from '../../../src/engine/sync/file-facts.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

describe('hashFile', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('pbs-hash-')
  })

  it('hashes empty, small (read whole) and large (streamed) files to their sha256', async () => {
    for (const size of [0, 1, 4095, 4097, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 7]) {
      const bytes = randomBytes(size)
      const path = join(dir, `f${size}.bin`)
      await writeFile(path, bytes)
      expect(await hashFile(path, size), `size ${size}`).toBe(sha(bytes))
      expect(await hashFile(path), `size ${size}, no hint`).toBe(sha(bytes))
    }
  })

  it('hashes the bytes on disk when the size hint is out of date', async () => {
    const path = join(dir, 'grew.bin')
    const small = randomBytes(10)
    await writeFile(path, small)
    const grown = randomBytes(400 * 1024)
    await writeFile(path, grown)
    // Seen at 10 bytes, now larger than the whole-read limit: streamed instead, whole content.
    expect(await hashFile(path, small.length)).toBe(sha(grown))
    const shrunk = randomBytes(3)
    await writeFile(path, shrunk)
    expect(await hashFile(path, grown.length)).toBe(sha(shrunk))
    expect(await hashFile(path, 100)).toBe(sha(shrunk))
  })

  it('fails with ENOENT for a file that is gone', async () => {
    await expect(hashFile(join(dir, 'nope.bin'), 10)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('hashSmallSync', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('pbs-hash-sync-')
  })

  it('hashes small files to their sha256, one after another through its shared buffer', async () => {
    // Larger first: a later, smaller file must not pick up the earlier file's bytes.
    for (const size of [WHOLE_READ_MAX, 4097, 4095, 1, 0]) {
      const bytes = randomBytes(size)
      const path = join(dir, `f${size}.bin`)
      await writeFile(path, bytes)
      expect(hashSmallSync(path), `size ${size}`).toBe(sha(bytes))
    }
  })

  it('leaves a file over the whole-read limit to hashFile', async () => {
    const path = join(dir, 'big.bin')
    await writeFile(path, randomBytes(WHOLE_READ_MAX + 1))
    expect(hashSmallSync(path)).toBeUndefined()
  })

  it('throws ENOENT for a file that is gone and EISDIR for a folder', () => {
    expect(() => hashSmallSync(join(dir, 'nope.bin'))).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    )
    expect(() => hashSmallSync(dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }))
  })
})
