import { appendFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { factsOf, lstatOrMissing } from '../../../src/engine/sync/file-facts.ts'
import type { FileFacts } from '../../../src/engine/sync/file-facts.ts'
import { createSettler } from '../../../src/engine/sync/settle.ts'
import type { Settler } from '../../../src/engine/sync/settle.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('settle tracker', () => {
  const tempFolder = tempFolders()
  let root: string
  let settler: Settler | undefined
  const settled: { relPath: string; facts: FileFacts }[] = []
  const gone: string[] = []

  const make = (settleMs: number): Settler =>
    createSettler({
      settleMs,
      now: Date.now,
      stat: async (relPath) => {
        const info = await lstatOrMissing(join(root, relPath))
        return info?.isFile() ? factsOf(info) : undefined
      },
      onSettled: (relPath, facts) => settled.push({ relPath, facts }),
      onGone: (relPath) => gone.push(relPath),
      onError: (relPath, error) => {
        throw new Error(`${relPath}: ${String(error)}`)
      },
    })

  const until = async (check: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 200 && !check(); i++) await sleep(50)
    if (!check()) throw new Error(`timed out waiting for ${what}`)
  }

  beforeEach(async () => {
    root = await tempFolder('pbs-settle-')
    settled.length = 0
    gone.length = 0
  })
  afterEach(async () => {
    settler?.clear()
  })

  it('reports a file being written in steps once, after the last write, with its final size', async () => {
    settler = make(400)
    await writeFile(join(root, 'grow.bin'), Buffer.alloc(1000, 1))
    settler.touch('grow.bin')
    for (let step = 0; step < 15; step++) {
      await sleep(60)
      await appendFile(join(root, 'grow.bin'), Buffer.alloc(1000, 2))
      settler.touch('grow.bin')
      expect(settled).toHaveLength(0)
    }
    await until(() => settled.length > 0, 'the file to settle')
    expect(settled).toEqual([
      { relPath: 'grow.bin', facts: expect.objectContaining({ size: 16_000 }) },
    ])
    expect(settler.paths()).toEqual([])
  })

  it('reports a path that vanished (a temp file renamed away) as gone, and its target as settled', async () => {
    settler = make(200)
    await writeFile(join(root, 'save.sb-123'), 'new bytes')
    settler.touch('save.sb-123')
    await rename(join(root, 'save.sb-123'), join(root, 'final.png'))
    settler.touch('final.png')
    await until(() => settled.length > 0 && gone.length > 0, 'both paths')
    expect(gone).toEqual(['save.sb-123'])
    expect(settled.map((entry) => entry.relPath)).toEqual(['final.png'])
  })

  it('stops reporting after clear', async () => {
    settler = make(100)
    await writeFile(join(root, 'a.txt'), 'a')
    settler.touch('a.txt')
    settler.clear()
    await sleep(300)
    expect(settled).toEqual([])
    settler.touch('a.txt')
    await sleep(300)
    expect(settled).toEqual([])
  })
})
