import { createHash, randomBytes } from 'node:crypto'
import { lstat, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createDiskPace, SLOW_BATCH_MS } from '../../../src/engine/sync/disk-pace.ts'
import type { ScannedFile } from '../../../src/engine/sync/file-facts.ts'
import { hashAll } from '../../../src/engine/sync/pair-hashing.ts'
import type { PairHandle, WorkerContext } from '../../../src/engine/sync/worker-context.ts'
import { quiet } from '../support/waiting.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

/** A pace that has already found the disk slow: every file goes through the thread pool. */
function slowPace(): ReturnType<typeof createDiskPace> {
  const pace = createDiskPace()
  for (let i = 0; i < 3; i++) pace.record(SLOW_BATCH_MS + 1)
  return pace
}

describe('hashAll', () => {
  const tempFolder = tempFolders()
  let folder: string
  beforeEach(async () => {
    folder = await tempFolder('pbs-hashall-')
  })

  for (const [way, pace] of [
    ['in synchronous batches (a fast disk)', createDiskPace],
    ['through the thread pool (a slow disk)', slowPace],
  ] as const) {
    it(`hashes, hands back changed or gone files and names unreadable ones, ${way}`, async () => {
      const small = randomBytes(2000)
      const big = randomBytes(300 * 1024)
      await writeFile(join(folder, 'small.png'), small)
      await writeFile(join(folder, 'big.psd'), big)
      await writeFile(join(folder, 'changed.png'), 'now longer than when it was seen')
      await mkdir(join(folder, 'folder.png'))
      // Many small files: more than one synchronous batch.
      const many = Array.from({ length: 70 }, (_, i) => `many/f${i}.txt`)
      await mkdir(join(folder, 'many'))
      for (const relPath of many) await writeFile(join(folder, relPath), relPath)

      const seen = async (relPath: string): Promise<ScannedFile> => {
        const info = await lstat(join(folder, relPath))
        return { relPath, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino }
      }
      const changed = await seen('changed.png')
      const files: ScannedFile[] = [
        await seen('small.png'),
        await seen('big.psd'),
        { ...changed, size: 3 },
        { relPath: 'gone.png', size: 10, mtimeMs: 1, ino: 1 },
        { relPath: 'folder.png', size: 10, mtimeMs: 1, ino: 2 },
        ...(await Promise.all(many.map(seen))),
      ]
      const resettled: string[] = []
      const reported: string[] = []
      const ctx = {
        log: quiet,
        hashConcurrency: 2,
        report: (absPath: string) => reported.push(absPath),
      } as unknown as WorkerContext
      const pair = {
        id: 'p1',
        folder,
        resettle: (relPath: string) => resettled.push(relPath),
      } as unknown as PairHandle

      const result = await hashAll(ctx, pair, files, pace())

      const hashes = new Map(result.hashed.map(({ file, sha256 }) => [file.relPath, sha256]))
      expect(hashes.get('small.png')).toBe(sha(small))
      expect(hashes.get('big.psd')).toBe(sha(big))
      for (const relPath of many) expect(hashes.get(relPath)).toBe(sha(Buffer.from(relPath)))
      expect(hashes.size).toBe(2 + many.length)
      expect(resettled.sort()).toEqual(['changed.png', 'gone.png'])
      expect(result.unreadable.map(({ file, code }) => [file.relPath, code])).toEqual([
        ['folder.png', 'EISDIR'],
      ])
      expect(reported).toEqual([join(folder, 'folder.png')])
    })
  }
})
