import { mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createIgnoreRules } from '../../../src/engine/sync/ignore-rules.ts'
import { walkFolder } from '../../../src/engine/sync/scanner.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('folder walk', () => {
  const tempFolder = tempFolders()
  let root: string
  beforeEach(async () => {
    root = await tempFolder('pbs-scan-')
  })

  it('lists nested files with their facts, skipping junk, hidden, symlinks and ignored folders', async () => {
    await mkdir(join(root, 'a', 'b', 'c'), { recursive: true })
    await mkdir(join(root, '.git', 'objects'), { recursive: true })
    await mkdir(join(root, 'drafts'), { recursive: true })
    await writeFile(join(root, 'top.jpg'), 'top')
    await writeFile(join(root, 'a', 'b', 'c', 'deep.png'), 'deep!')
    await writeFile(join(root, 'a', '.DS_Store'), 'x')
    await writeFile(join(root, 'a', '.hidden.png'), 'x')
    await writeFile(join(root, '.git', 'objects', 'o1'), 'x')
    await writeFile(join(root, 'drafts', 'd.png'), 'x')
    await writeFile(join(root, 'a', 'b', 'skip.psd'), 'x')
    await writeFile(join(root, '.playbookignore'), 'drafts/\n')
    await writeFile(join(root, 'a', 'b', '.playbookignore'), '*.psd\n')
    await symlink(join(root, 'top.jpg'), join(root, 'link.jpg'))

    const rules = createIgnoreRules(root, { includeHidden: false, patterns: [] })
    const walk = await walkFolder(root, rules)
    const files = [...walk.files].sort((x, y) => x.relPath.localeCompare(y.relPath))
    expect(files.map((file) => [file.relPath, file.size])).toEqual([
      ['a/b/c/deep.png', 5],
      ['top.jpg', 3],
    ])
    expect(files[0]?.ino).toBeGreaterThan(0)
    // .DS_Store, .hidden.png, .git, drafts, skip.psd, link.jpg
    expect(walk.ignored).toBe(6)
    expect(walk.errors).toEqual([])
  })

  it('follows ignore files that appear and go away between walks with the same rules', async () => {
    await mkdir(join(root, 'a'), { recursive: true })
    await writeFile(join(root, 'a', 'one.psd'), 'x')
    await writeFile(join(root, 'a', 'two.png'), 'x')
    const rules = createIgnoreRules(root, { includeHidden: false, patterns: [] })
    const listed = async (): Promise<string[]> =>
      (await walkFolder(root, rules)).files.map((file) => file.relPath).sort()
    expect(await listed()).toEqual(['a/one.psd', 'a/two.png'])
    await writeFile(join(root, 'a', '.playbookignore'), '*.psd\n')
    expect(await listed()).toEqual(['a/two.png'])
    await rm(join(root, 'a', '.playbookignore'))
    expect(await listed()).toEqual(['a/one.psd', 'a/two.png'])
  })

  it('handles thousands of files in one folder and deep trees without recursion', async () => {
    let dir = root
    for (let depth = 0; depth < 60; depth++) {
      dir = join(dir, `d${depth}`)
      await mkdir(dir)
      await writeFile(join(dir, 'f.txt'), String(depth))
    }
    await mkdir(join(root, 'wide'))
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) => writeFile(join(root, 'wide', `f${i}.txt`), 'x')),
    )
    const walk = await walkFolder(
      root,
      createIgnoreRules(root, { includeHidden: false, patterns: [] }),
      { concurrency: 3 },
    )
    expect(walk.files).toHaveLength(3060)
  })

  it('hands files to onFiles as it finds them, each once, and waits for the consumer', async () => {
    await mkdir(join(root, 'a', 'b'), { recursive: true })
    const expected: string[] = []
    for (let i = 0; i < 150; i++) {
      const relPath = i % 3 === 0 ? `f${i}.txt` : i % 3 === 1 ? `a/f${i}.txt` : `a/b/f${i}.txt`
      expected.push(relPath)
      await writeFile(join(root, relPath), 'x'.repeat(i))
    }
    await writeFile(join(root, 'a', '.DS_Store'), 'junk')
    const got: string[] = []
    const walk = await walkFolder(
      root,
      createIgnoreRules(root, { includeHidden: false, patterns: [] }),
      {
        onFiles: async (files) => {
          for (const file of files) {
            got.push(file.relPath)
            expect(file.size).toBe(Number(file.relPath.replace(/^.*f(\d+)\.txt$/, '$1')))
          }
          await new Promise((resolve) => setTimeout(resolve, 1))
        },
      },
    )
    expect(walk.files).toEqual([])
    expect(walk.ignored).toBe(1)
    expect(got.sort()).toEqual(expected.sort())
  })

  it('names the folder when it does not exist', async () => {
    const missing = join(root, 'nope')
    await expect(
      walkFolder(missing, createIgnoreRules(missing, { includeHidden: false, patterns: [] })),
    ).rejects.toThrow(`Folder not found: ${missing}`)
  })
})
