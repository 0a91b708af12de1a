import ignore from 'ignore'
import { describe, expect, it } from 'vitest'
import { BUILTIN_JUNK } from '../../../src/engine/sync/ignore-rules.ts'
import { compileJunk } from '../../../src/engine/sync/junk-matcher.ts'

/** Names made from every pattern (its wildcards filled in several ways), and near misses. */
function namesFrom(patterns: readonly string[]): string[] {
  const names = new Set<string>([
    'file-000001.bin',
    'photo.psd',
    'x.tmpl',
    'tmp',
    'temp',
    'a.temporary',
    'notes.partial.txt',
    'design~v2.ai',
    'Desktop',
    'git',
    '.gitignore',
    'lock',
    '#draft#',
    'a$b',
  ])
  for (const pattern of patterns) {
    const bare = pattern.replace(/\/$/, '')
    for (const fill of ['', 'x', 'a b.c', 'ABC', '.']) {
      const name = bare.replaceAll('*', fill)
      for (const variant of [name, name.toUpperCase(), name.toLowerCase()]) {
        names.add(variant)
        names.add(`x${variant}`)
        names.add(`${variant}x`)
        names.add(`${variant}.txt`)
      }
    }
  }
  names.delete('')
  return [...names]
}

describe('compileJunk', () => {
  it('agrees with the ignore library on the built-in list, for files and folders at any depth', () => {
    const library = ignore().add([...BUILTIN_JUNK])
    const isJunk = compileJunk(BUILTIN_JUNK)
    const disagreements: string[] = []
    let junk = 0
    let asked = 0
    for (const name of namesFrom(BUILTIN_JUNK)) {
      for (const path of [
        name,
        `sub/${name}`,
        `a/b/${name}`,
        `${name}/child.txt`,
        `a/${name}/b/c.png`,
        `${name}/`,
        `sub/${name}/`,
      ]) {
        asked++
        const expected = library.ignores(path)
        if (expected) junk++
        if (isJunk(path) !== expected) disagreements.push(`${path}: library says ${expected}`)
      }
    }
    expect(disagreements).toEqual([])
    // Both answers occur often: the comparison is not all one way.
    expect(junk).toBeGreaterThan(asked / 4)
    expect(asked - junk).toBeGreaterThan(asked / 4)
  })

  it('keeps folder-only names to folders', () => {
    const isJunk = compileJunk(['.git/', '*.tmp'])
    expect(isJunk('.git/')).toBe(true)
    expect(isJunk('.git/config')).toBe(true)
    expect(isJunk('sub/.git/')).toBe(true)
    expect(isJunk('.git')).toBe(false)
    expect(isJunk('sub/.GIT/x')).toBe(true)
    expect(isJunk('render.tmp')).toBe(true)
    expect(isJunk('render.tmp/')).toBe(true)
    expect(isJunk('render.tmp/inside.png')).toBe(true)
    expect(isJunk('render.tmpx')).toBe(false)
    expect(isJunk('a.tmp.png')).toBe(false)
  })

  it('refuses patterns it would misread', () => {
    for (const pattern of ['docs/*.md', '!keep.tmp', 'a?.txt', '[ab].txt', '#comment', 'x ', '']) {
      expect(() => compileJunk([pattern]), pattern).toThrow(/not a plain name pattern/)
    }
  })
})
