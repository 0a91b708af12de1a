import ignore from 'ignore'
import { describe, expect, it } from 'vitest'
import { ignorePatternProblem } from '../../src/shared/ignore-patterns.ts'

// A pattern that would silently match nothing is refused with a sentence; usable gitignore
// patterns (the ones the engine's matcher takes) pass.

describe('ignore pattern check', () => {
  it('passes usable gitignore patterns', () => {
    for (const pattern of [
      '*.psd',
      'renders/tmp/',
      '!keep.psd',
      '/top-level-only.txt',
      '**/cache/**',
      'frame-[0-9][0-9].png',
      '[!a]*.tif',
      '[]]x',
      '\\#hash-name',
      'name\\[literal',
    ]) {
      expect(ignorePatternProblem(pattern), pattern).toBeUndefined()
      expect(() => ignore().add(pattern).ignores('a/b.txt')).not.toThrow()
    }
  })

  it('refuses what would match nothing, saying why', () => {
    expect(ignorePatternProblem('   ')).toBe('An ignore pattern cannot be empty')
    expect(ignorePatternProblem('# notes')).toMatch(/starts with "#", which makes it a comment/)
    expect(ignorePatternProblem('renders/[ab')).toBe(
      'The ignore pattern "renders/[ab" has a "[" without a closing "]"',
    )
    expect(ignorePatternProblem('trailing\\')).toMatch(/ends with a lone "\\"/)
    expect(ignorePatternProblem('!')).toMatch(/names no file or folder/)
    expect(ignorePatternProblem('two\nlines')).toMatch(/must be on one line/)
    expect(ignorePatternProblem('x'.repeat(501))).toMatch(/longer than 500 characters/)
  })
})
