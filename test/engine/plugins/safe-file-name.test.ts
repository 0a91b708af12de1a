import { describe, expect, it } from 'vitest'
import {
  composeFileName,
  maxFileNameBytes,
  safeFileName,
  safeFileNameParts,
} from '../../../src/engine/plugins/safe-file-name.ts'

describe('safeFileName', () => {
  it('keeps an ordinary title and adds the type as extension', () => {
    expect(safeFileName('Fancy Picture of a Cat', '.jpg')).toBe('Fancy Picture of a Cat.jpg')
  })

  it('does not double an extension the title already has', () => {
    expect(safeFileName('cat.JPG', '.jpg')).toBe('cat.jpg')
    expect(safeFileName('cat.png', '.jpg')).toBe('cat.png.jpg')
  })

  it('neutralises path traversal and separators', () => {
    for (const title of [
      '../../etc/passwd',
      '..\\..\\windows\\system32',
      '/etc/passwd',
      'a/../../b',
    ]) {
      const name = safeFileName(title, '.jpg')
      expect(name).not.toMatch(/[/\\]/)
      expect(name).not.toContain('..')
      expect(name.startsWith('.')).toBe(false)
    }
    expect(safeFileName('../../etc/passwd', '.jpg')).toBe('etc_passwd.jpg')
  })

  it('prefixes reserved Windows device names, with or without extension', () => {
    expect(safeFileName('CON', '.jpg')).toBe('_CON.jpg')
    expect(safeFileName('nul', '')).toBe('_nul')
    expect(safeFileName('Com1.tar', '.gz')).toBe('_Com1.tar.gz')
    expect(safeFileName('LPT9 ', '.png')).toBe('_LPT9.png')
    expect(safeFileName('CONSOLE', '.png')).toBe('CONSOLE.png')
  })

  it('removes control, zero-width and direction-override characters and Windows-illegal ones', () => {
    expect(safeFileName('a\u0000b\u001fc\u202egnp.exe', '.jpg')).toBe('abcgnp.exe.jpg')
    expect(safeFileName('what?<now>:"x"|y*', '.png')).toBe('what_now_x_y_.png')
  })

  it('strips trailing dots and spaces, and leading dots (no hidden files)', () => {
    expect(safeFileName('report. . ', '.pdf')).toBe('report.pdf')
    expect(safeFileName('.bashrc', '.txt')).toBe('bashrc.txt')
  })

  it('falls back to "untitled" when nothing is left', () => {
    expect(safeFileName('', '.jpg')).toBe('untitled.jpg')
    expect(safeFileName('../..', '.jpg')).toBe('untitled.jpg')
    expect(safeFileName('\u0000\u0001', 'note')).toBe('untitled')
  })

  it('ignores types that are not plain extensions', () => {
    expect(safeFileName('My note', 'note')).toBe('My note')
    expect(safeFileName('x', './../evil')).toBe('x')
  })

  it('limits names to 255 UTF-8 bytes, keeping the extension and whole characters', () => {
    const long = 'é'.repeat(400)
    const name = safeFileName(long, '.jpeg')
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(maxFileNameBytes)
    expect(name.endsWith('.jpeg')).toBe(true)
    expect(name).not.toContain('\ufffd')
    const emoji = safeFileName('😀'.repeat(100), '.png')
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(maxFileNameBytes)
    expect([...emoji.slice(0, -4)].every((c) => c === '😀')).toBe(true)
  })

  it('adds " (n)" before the extension and still fits the limit', () => {
    const parts = safeFileNameParts('cat', '.jpg')
    expect(composeFileName(parts, 0)).toBe('cat.jpg')
    expect(composeFileName(parts, 2)).toBe('cat (2).jpg')
    const long = safeFileNameParts('x'.repeat(300), '.jpg')
    const name = composeFileName(long, 12)
    expect(Buffer.byteLength(name)).toBe(maxFileNameBytes)
    expect(name.endsWith(' (12).jpg')).toBe(true)
  })
})
