/**
 * Generated data sets: one large file, many small files, a big tree of tiny files. Content is
 * random (incompressible) so no layer can shortcut it; sizes and layout follow a seeded PRNG.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createRng } from './random.ts'

/** Writes `size` random bytes to `path` in 4 MiB pieces; returns the sha256. */
export async function writeLargeFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  const handle = await open(path, 'w')
  try {
    const piece = 4 * 1024 * 1024
    for (let written = 0; written < size;) {
      const buf = randomBytes(Math.min(piece, size - written))
      hash.update(buf)
      await handle.write(buf)
      written += buf.length
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      await fn(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

/** One generated file. */
export interface GeneratedFile {
  readonly relPath: string
  readonly path: string
  readonly size: number
}

/**
 * Writes `count` files of `minSize`–`maxSize` random bytes under `root`, `perDir` files per
 * folder, in nested folders (`a03/b12/file-000123.bin`).
 */
export async function writeFileSet(
  root: string,
  options: { count: number; minSize: number; maxSize: number; perDir: number; seed: number },
): Promise<readonly GeneratedFile[]> {
  const rng = createRng(options.seed)
  const files: GeneratedFile[] = []
  const dirs = new Set<string>()
  for (let i = 0; i < options.count; i++) {
    const d = Math.floor(i / options.perDir)
    const dir = `a${String(Math.floor(d / 20)).padStart(2, '0')}/b${String(d % 20).padStart(2, '0')}`
    dirs.add(dir)
    const relPath = `${dir}/file-${String(i).padStart(6, '0')}.bin`
    files.push({
      relPath,
      path: join(root, relPath),
      size: rng.int(options.minSize, options.maxSize),
    })
  }
  for (const dir of dirs) await mkdir(join(root, dir), { recursive: true })
  await eachLimit(files, 16, async (file) => {
    await writeFile(file.path, randomBytes(file.size))
  })
  return files
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
