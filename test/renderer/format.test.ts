import { describe, expect, it } from 'vitest'
import {
  baseName,
  formatAgo,
  formatBytes,
  formatCount,
  formatEta,
  formatSpeed,
  plural,
  previewSentence,
} from '../../src/renderer/src/lib/format.ts'

describe('format', () => {
  it('writes sizes the way Finder does', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1500)).toBe('1.5 KB')
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB')
    expect(formatBytes(250_000_000)).toBe('250 MB')
    expect(formatBytes(-1)).toBe('—')
  })

  it('writes the folder preview sentence', () => {
    expect(previewSentence({ files: 312, bytes: 1_200_000_000, ignored: 14 })).toBe(
      '312 files, 1.2 GB to upload, 14 ignored',
    )
    expect(previewSentence({ files: 30, bytes: 1_200_000, ignored: 0, alreadyOnBoard: 27 })).toBe(
      '30 files, 1.2 MB to upload, 0 ignored; 27 already on the board (kept, not uploaded again)',
    )
    expect(previewSentence({ files: 1, bytes: 43, ignored: 0 })).toBe(
      '1 file, 43 B to upload, 0 ignored',
    )
    expect(plural(12_345, 'file')).toBe('12,345 files')
  })

  it('groups the thousands of counts as en-US does', () => {
    for (const n of [0, 7, 999, 1_000, 12_345, 100_000, 1_234_567, -4_321, 2 ** 40]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'))
    }
    expect(formatCount(10_000)).toBe('10,000')
    expect(formatCount(1.5)).toBe('1.5')
  })

  it('writes speed and time left, and nothing when unknown', () => {
    expect(formatSpeed(0)).toBe('')
    expect(formatSpeed(2_400_000)).toBe('2.4 MB/s')
    expect(formatEta(null)).toBe('')
    expect(formatEta(0.2)).toBe('1 s left')
    expect(formatEta(42)).toBe('42 s left')
    expect(formatEta(180)).toBe('3 min left')
    expect(formatEta(3900)).toBe('1 h 5 min left')
    expect(formatEta(7200)).toBe('2 h left')
  })

  it('says how long ago', () => {
    const now = Date.UTC(2026, 0, 10, 12)
    expect(formatAgo(null, now)).toBe('never')
    expect(formatAgo(now - 10_000, now)).toBe('just now')
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago')
    expect(formatAgo(Date.UTC(2026, 0, 2, 12), now)).toBe('Jan 2')
  })

  it('finds the last path segment on any platform', () => {
    expect(baseName('/Users/a/Exports/')).toBe('Exports')
    expect(baseName('C:\\Work\\Renders')).toBe('Renders')
    expect(baseName('plain')).toBe('plain')
  })
})
