import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createIgnoreRules } from '../../../src/engine/sync/ignore-rules.ts'
import { tempFolders } from '../../support/temp-folders.ts'

describe('ignore rules', () => {
  const tempFolder = tempFolders()
  let root: string
  beforeEach(async () => {
    root = await tempFolder('pbs-ignore-')
  })

  it('skips the built-in junk, app temp and lock files, at any depth', () => {
    const rules = createIgnoreRules(root, { includeHidden: true, patterns: [] })
    for (const junk of [
      '.DS_Store',
      'a/b/.DS_Store',
      'Thumbs.db',
      'thumbs.db',
      'desktop.ini',
      '._photo.jpg',
      '~$report.docx',
      'render.tmp',
      'movie.mov.part',
      'big.zip.crdownload',
      'notes.txt.swp',
      '.~lock.plan.odt#',
      '~ps1A2B.tmp',
      'logo.ai~',
    ]) {
      expect(rules.test(junk, 'file'), junk).toBe('junk')
    }
    expect(rules.test('.git', 'dir')).toBe('junk')
    expect(rules.test('sub/.svn', 'dir')).toBe('junk')
    expect(rules.test('.git/config', 'file')).toBe('junk')
    expect(rules.test('photo.jpg', 'file')).toBeUndefined()
    expect(rules.test('a/b/final.psd', 'file')).toBeUndefined()
  })

  it('skips hidden files and folders unless asked, and always symlinks', () => {
    const hidden = createIgnoreRules(root, { includeHidden: false, patterns: [] })
    expect(hidden.test('.secret.png', 'file')).toBe('hidden')
    expect(hidden.test('.cache', 'dir')).toBe('hidden')
    expect(hidden.test('.cache/x.png', 'file')).toBe('hidden')
    expect(hidden.test('link.png', 'symlink')).toBe('symlink')
    const shown = createIgnoreRules(root, { includeHidden: true, patterns: [] })
    expect(shown.test('.secret.png', 'file')).toBeUndefined()
    expect(shown.test('link.png', 'symlink')).toBe('symlink')
  })

  it('applies patterns from settings with gitignore syntax', () => {
    const rules = createIgnoreRules(root, {
      includeHidden: false,
      patterns: ['*.psd', 'drafts/', '!keep.psd'],
    })
    expect(rules.test('a/x.psd', 'file')).toBe('pattern')
    expect(rules.test('keep.psd', 'file')).toBeUndefined()
    expect(rules.test('drafts', 'dir')).toBe('pattern')
    expect(rules.test('drafts/a.png', 'file')).toBe('pattern')
    expect(rules.test('final/a.png', 'file')).toBeUndefined()
  })

  it('reads .playbookignore files at any depth; deeper ones override, relative to their folder', async () => {
    await mkdir(join(root, 'a', 'b'), { recursive: true })
    await writeFile(join(root, '.playbookignore'), '*.png\n/top-only.jpg\n')
    await writeFile(join(root, 'a', '.playbookignore'), '!keep.png\nb/secret.jpg\n')
    const rules = createIgnoreRules(root, { includeHidden: false, patterns: [] })
    await rules.loadDir('')
    await rules.loadDir('a')
    await rules.loadDir('a/b')
    expect(rules.test('x.png', 'file')).toBe('playbookignore')
    expect(rules.test('a/x.png', 'file')).toBe('playbookignore')
    expect(rules.test('a/keep.png', 'file')).toBeUndefined()
    expect(rules.test('top-only.jpg', 'file')).toBe('playbookignore')
    expect(rules.test('a/top-only.jpg', 'file')).toBeUndefined()
    expect(rules.test('a/b/secret.jpg', 'file')).toBe('playbookignore')
    expect(rules.test('b/secret.jpg', 'file')).toBeUndefined()
    expect(rules.test('.playbookignore', 'file')).toBe('special')

    await writeFile(join(root, '.playbookignore'), '')
    await rules.loadDir('')
    expect(rules.test('x.png', 'file')).toBeUndefined()
    rules.forgetDir('a')
    expect(rules.test('a/b/secret.jpg', 'file')).toBeUndefined()
  })

  it('explains a skip: the pattern that matched and where it comes from', async () => {
    await mkdir(join(root, 'a', 'b'), { recursive: true })
    await writeFile(join(root, '.playbookignore'), '*.wip\n')
    await writeFile(join(root, 'a', 'b', '.playbookignore'), '!keep.wip\nsketch-*\n')
    const rules = createIgnoreRules(root, { includeHidden: false, patterns: ['*.bak'] })
    await rules.loadDir('')
    await rules.loadDir('a/b')
    expect(rules.explain('Thumbs.db', 'file')).toEqual({ reason: 'junk', pattern: 'Thumbs.db' })
    expect(rules.explain('x/render.tmp', 'file')).toEqual({ reason: 'junk', pattern: '*.tmp' })
    expect(rules.explain('.git', 'dir')).toEqual({ reason: 'junk', pattern: '.git/' })
    expect(rules.explain('.secret', 'file')).toEqual({ reason: 'hidden', pattern: null })
    expect(rules.explain('old.bak', 'file')).toEqual({ reason: 'pattern', pattern: '*.bak' })
    expect(rules.explain('a/poster.wip', 'file')).toEqual({
      reason: 'playbookignore',
      pattern: '*.wip',
      where: '',
    })
    expect(rules.explain('a/b/sketch-1.png', 'file')).toEqual({
      reason: 'playbookignore',
      pattern: 'sketch-*',
      where: 'a/b',
    })
    expect(rules.explain('a/b/keep.wip', 'file')).toBeUndefined()
    expect(rules.explain('photo.jpg', 'file')).toBeUndefined()
  })
  it("tells the app-wide patterns apart from the folder's own", () => {
    const rules = createIgnoreRules(root, {
      includeHidden: false,
      patterns: ['*.bak'],
      sharedPatterns: ['*.psd'],
    })
    expect(rules.test('layers.psd', 'file')).toBe('pattern')
    expect(rules.explain('layers.psd', 'file')).toEqual({
      reason: 'shared-pattern',
      pattern: '*.psd',
    })
    expect(rules.explain('old.bak', 'file')).toEqual({ reason: 'pattern', pattern: '*.bak' })
    expect(rules.explain('photo.jpg', 'file')).toBeUndefined()
  })
})
