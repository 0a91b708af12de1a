/**
 * Writes the sandbox state as one JSON file, atomically (temp file + rename), coalescing bursts of
 * changes into one write at a time. Reads it back on start.
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SandboxState } from './model.ts'

/** Saves state on demand; `flush()` waits until what was asked is on disk. */
export interface StateWriter {
  schedule(): void
  flush(): Promise<void>
}

const FILE = 'state.json'

/** Loads the saved state of a data folder, or undefined when there is none. */
export async function loadState(dir: string): Promise<SandboxState | undefined> {
  let text: string
  try {
    text = await readFile(join(dir, FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const parsed = JSON.parse(text) as SandboxState
  if (parsed.version !== 1)
    throw new Error(`${join(dir, FILE)}: unknown state version ${String(parsed.version)}`)
  return parsed
}

/** Creates a writer for `state()` into `dir`; with no `dir` nothing is written. */
export function createStateWriter(
  dir: string | undefined,
  state: () => SandboxState,
  onError: (error: unknown) => void,
): StateWriter {
  let dirty = false
  let running: Promise<void> | undefined
  let counter = 0

  async function loop(): Promise<void> {
    while (dirty && dir) {
      dirty = false
      const tmp = join(dir, `${FILE}.${process.pid}.${counter++}.tmp`)
      await writeFile(tmp, JSON.stringify(state()))
      await rename(tmp, join(dir, FILE))
    }
  }

  function kick(): void {
    if (running || !dir) return
    running = loop()
      .catch(onError)
      .finally(() => {
        running = undefined
        if (dirty) kick()
      })
  }

  return {
    schedule() {
      dirty = true
      kick()
    },
    async flush() {
      while (running) await running
    },
  }
}
