import { describe, expect, it } from 'vitest'
import { createLiveFacts } from '../../../src/engine/sync/live-facts.ts'

// The packed index a scan compares the folder with: the same answers as comparing each file's
// stored facts, for more files than its first block holds, and what is left is what vanished.
describe('live facts index', () => {
  it('answers unchanged only for settled files with the same facts, and leaves the rest as vanished', () => {
    const index = createLiveFacts()
    const count = 5000
    for (let i = 0; i < count; i++) {
      index.add(`d/f${i}`, i % 5 !== 0, 100 + i, 1_700_000_000_123.5 + i, 4_000_000_000 + i)
    }
    expect(index.size).toBe(count)
    const same = (i: number) => ({
      size: 100 + i,
      mtimeMs: 1_700_000_000_123.5 + i,
      ino: 4_000_000_000 + i,
    })
    // Settled and same facts: nothing to do.
    expect(index.take('d/f1', same(1))).toBe(true)
    // Not settled (every fifth file): looked at again even with the same facts.
    expect(index.take('d/f5', same(5))).toBe(false)
    // Settled but changed: size, mtime or inode.
    expect(index.take('d/f2', { ...same(2), size: 1 })).toBe(false)
    expect(index.take('d/f3', { ...same(3), mtimeMs: same(3).mtimeMs + 0.5 })).toBe(false)
    expect(index.take('d/f4999', { ...same(4999), ino: 7 })).toBe(false)
    // A file the index does not know, and one taken already.
    expect(index.take('d/new', same(0))).toBe(false)
    expect(index.take('d/f1', same(1))).toBe(false)
    const left = index.paths()
    expect(left).toHaveLength(count - 5)
    expect(left).not.toContain('d/f1')
    expect(left).toContain('d/f0')
    expect(left).toContain('d/f4998')
  })
})
