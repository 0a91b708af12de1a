/**
 * The benchmark's workers as the product runs: bundled JavaScript (as `out/cli` is), not
 * TypeScript stripped at load time. Node's type stripping and one compiled module per source file
 * cost the process about 50 MB that no user's process carries, which would be counted in every
 * peak RSS. Bundled once per run into `out/bench-workers/` (inside the project, so packages
 * resolve from node_modules as they do for the CLI).
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'esbuild'

/** Bundles every entry in `names` (files under bench/workers); returns the folder they are in. */
export async function bundleWorkers(root: string, names: readonly string[]): Promise<string> {
  const outdir = join(root, 'out', 'bench-workers')
  await rm(outdir, { recursive: true, force: true })
  await build({
    entryPoints: names.map((name) => join(root, 'bench', 'workers', name)),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  })
  return outdir
}

/** The bundled file of worker `name` (a `.ts` file name) in `dir`. */
export function bundledWorker(dir: string, name: string): string {
  return join(dir, name.replace(/\.ts$/, '.mjs'))
}
