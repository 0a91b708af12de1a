/**
 * What a scan compares the folder with: every live file of a pair's index by path, with its facts
 * and whether it needs nothing more while they stay the same. Held for a whole scan of a pair of
 * 100,000 files, so it is packed: a map from path to a slot (a small integer, no object per file)
 * and the facts in one typed array, instead of an object and boxed numbers per file.
 */
import type { FileFacts } from './file-facts.ts'

/** Facts per slot: size, mtime, inode. */
const FIELDS = 3

/** The index a scan takes found files out of; what is left at the end vanished. */
export interface LiveFactsIndex {
  /**
   * Takes a found file out of the index. True when it is a settled file (landed, skipped, or
   * pending with a live job) whose facts are the same: nothing to do for it.
   */
  take(relPath: string, facts: FileFacts): boolean
  /** The paths not taken (yet). */
  paths(): string[]
  readonly size: number
}

/** Builds the index from the index's rows as they are read. */
export function createLiveFacts(): LiveFactsIndex & {
  /** Adds a live file; `facts` only matter when `settled`. */
  add(relPath: string, settled: boolean, size: number, mtimeMs: number, ino: number): void
} {
  // Slot 0 means "look again" (not settled); settled files get slots from 1.
  const slots = new Map<string, number>()
  let facts = new Float64Array(FIELDS * 1024)
  let used = 1
  return {
    add(relPath, settled, size, mtimeMs, ino) {
      if (!settled) {
        slots.set(relPath, 0)
        return
      }
      if ((used + 1) * FIELDS > facts.length) {
        const grown = new Float64Array(facts.length * 2)
        grown.set(facts)
        facts = grown
      }
      const at = used * FIELDS
      facts[at] = size
      facts[at + 1] = mtimeMs
      facts[at + 2] = ino
      slots.set(relPath, used++)
    },
    take(relPath, file) {
      const slot = slots.get(relPath)
      if (slot === undefined) return false
      slots.delete(relPath)
      if (slot === 0) return false
      const at = slot * FIELDS
      return facts[at] === file.size && facts[at + 1] === file.mtimeMs && facts[at + 2] === file.ino
    },
    paths: () => [...slots.keys()],
    get size() {
      return slots.size
    },
  }
}
