import { existsSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { tempFolders } from './temp-folders.ts'

// Registered before any tempFolders() below, so it runs after all their afterAll hooks (Vitest runs
// "after" hooks in reverse order): every folder made in this file is gone by then.
const made: string[] = []
afterAll(() => {
  expect(made.length).toBeGreaterThan(0)
  for (const path of made) expect(existsSync(path), path).toBe(false)
})

describe('a folder made in a test', () => {
  const tempFolder = tempFolders()
  let first: string[] = []
  let inAfterEach: boolean | undefined
  afterEach(() => {
    // The spec's own clean-up (registered after tempFolders()) still finds the folders.
    inAfterEach ??= first.every((path) => existsSync(path))
  })

  it('is a real, new, empty directory under the temp folder, named after the prefix', async () => {
    const a = await tempFolder('pbs-temp-folders-')
    const b = await tempFolder('pbs-temp-folders-')
    first = [a, b]
    made.push(a, b)
    expect(a).not.toBe(b)
    for (const path of first) {
      expect(statSync(path).isDirectory()).toBe(true)
      expect(dirname(path)).toBe(tmpdir())
      expect(basename(path)).toMatch(/^pbs-temp-folders-.+/)
    }
    await writeFile(join(a, 'file.txt'), 'something to remove with it')
  })

  it('is there for the afterEach hooks, and gone (with what was in it) before the next test', () => {
    expect(first).toHaveLength(2)
    expect(inAfterEach).toBe(true)
    for (const path of first) expect(existsSync(path), path).toBe(false)
  })

  it('is removed even when its test skipped itself', async (ctx) => {
    made.push(await tempFolder('pbs-temp-skipped-'))
    ctx.skip()
  })
})

describe('a folder made in beforeEach', () => {
  const tempFolder = tempFolders()
  const seen: string[] = []
  let dir: string
  beforeEach(async () => {
    dir = await tempFolder('pbs-temp-each-')
    made.push(dir)
  })

  it('is there during its test', () => {
    expect(statSync(dir).isDirectory()).toBe(true)
    seen.push(dir)
  })

  it('is a new one for the next test, the last one gone', () => {
    expect(statSync(dir).isDirectory()).toBe(true)
    expect(seen).toHaveLength(1)
    expect(dir).not.toBe(seen[0])
    expect(existsSync(seen[0] ?? '')).toBe(false)
  })
})

describe('a folder made in beforeAll', () => {
  let dir: string | undefined
  describe('its block', () => {
    const tempFolder = tempFolders()
    beforeAll(async () => {
      dir = await tempFolder('pbs-temp-all-')
      made.push(dir)
    })
    afterAll(() => {
      // The block's own afterAll (registered after tempFolders()) still finds it.
      expect(existsSync(dir ?? '')).toBe(true)
    })

    it('is there in the first test', async () => {
      expect(statSync(dir ?? '').isDirectory()).toBe(true)
      await writeFile(join(dir ?? '', 'kept.txt'), 'kept for the next test')
    })

    it('and stays, with its files, for the next', () => {
      expect(existsSync(join(dir ?? '', 'kept.txt'))).toBe(true)
    })
  })

  it('is gone once the block that made it ended', () => {
    expect(dir).toBeDefined()
    expect(existsSync(dir ?? '')).toBe(false)
  })
})
