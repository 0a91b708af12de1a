import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { splitRel } from '../../../src/engine/sync/ignore-rules.ts'
import { absolutePath } from '../../../src/engine/sync/worker-context.ts'

describe('absolutePath', () => {
  it('answers what join answers, for clean and unclean paths and folders', () => {
    const folders = ['/data/pair', '/data/pair/', '/data//pair', '/data/./pair/../pair', '/']
    const paths = [
      'a.png',
      'sub/a.png',
      'a/b/c d.psd',
      '.hidden/x',
      'x/.hidden',
      '..name/x',
      'a..b/c',
      './a.png',
      'a/./b',
      'a/../b',
      '../outside',
      'a//b',
      'a/',
      '/a',
      '..',
      '.',
    ]
    for (const folder of folders) {
      for (const relPath of paths) {
        expect(absolutePath(folder, relPath), `${folder} + ${relPath}`).toBe(
          join(folder, ...splitRel(relPath)),
        )
      }
    }
  })

  it('follows a change of folder between calls', () => {
    expect(absolutePath('/one', 'a')).toBe(join('/one', 'a'))
    expect(absolutePath('/two/', 'a')).toBe(join('/two', 'a'))
    expect(absolutePath('/one', 'b/c')).toBe(join('/one', 'b', 'c'))
  })
})
