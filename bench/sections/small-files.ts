/**
 * Many small files: a generated folder synced by the real sync engine (catch-up scan → every file
 * an asset, `sync --once` semantics) vs a naive client doing prepare → session → PUT → complete per
 * file at the same concurrency (4, the queue's default). Requests are counted by the sandbox.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sleep, writeFileSet } from '../lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { Section, SectionContext } from '../lib/section.ts'
import type { SandboxStatsView } from '../lib/sandbox.ts'
import type { LinkProfile } from '../../src/sandbox/link-profile.ts'
import { round } from '../lib/stats.ts'

const CONCURRENCY = 4

/** Both clients on the same generated folder: seconds and the sandbox's request counts. */
export interface SmallFilesComparison {
  readonly bytes: number
  readonly oursSeconds: number
  readonly naiveSeconds: number
  readonly oursStats: SandboxStatsView
  readonly naiveStats: SandboxStatsView
}

/**
 * Generates `count` files of 20–200 KB and uploads them with the sync engine and with the naive
 * client, each on a fresh sandbox behind `network` (none: loopback).
 */
export async function compareSmallFiles(
  ctx: SectionContext,
  options: { readonly count: number; readonly network?: LinkProfile },
): Promise<SmallFilesComparison> {
  const { count } = options
  const sandboxOptions = options.network ? { network: options.network } : {}
  const folder = join(ctx.tmp, `files-${count}`)
  ctx.log(`generating ${count} files of 20–200 KB`)
  const files = await writeFileSet(folder, {
    count,
    minSize: 20_000,
    maxSize: 200_000,
    perDir: 500,
    seed: 42,
  })
  const bytes = files.reduce((sum, f) => sum + f.size, 0)
  // Let every file pass the sync engine's settle window (default 2 s) before the scan.
  await sleep(2100)

  ctx.log('ours: sync engine, catch-up scan to all done')
  const ours = await startBenchSandbox(sandboxOptions)
  let oursSeconds: number
  let oursStats: SandboxStatsView
  try {
    const child = ctx.worker('sync-worker.ts', [
      ...sandboxArgs(ours),
      '--home',
      join(ctx.tmp, `home-${count}`),
      '--folder',
      folder,
      '--mode',
      'once',
    ])
    const done = await child.waitFor('done')
    await child.done
    oursSeconds = (done.elapsedMs as number) / 1000
    oursStats = await ours.stats()
    const assets = await ours.assets()
    if (assets.length !== count || oursStats.duplicates !== 0) {
      throw new Error(
        `sync left ${assets.length} assets for ${count} files (${oursStats.duplicates} duplicates; ${JSON.stringify(done.notSynced)})`,
      )
    }
  } finally {
    await ours.close()
  }

  ctx.log('naive client: prepare → session → PUT → complete per file')
  const naive = await startBenchSandbox(sandboxOptions)
  let naiveSeconds: number
  let naiveStats: SandboxStatsView
  try {
    const list = join(ctx.tmp, `list-${count}.txt`)
    await writeFile(list, files.map((f) => f.path).join('\n'))
    const child = ctx.worker('naive-client.ts', [
      ...sandboxArgs(naive),
      '--list',
      list,
      '--concurrency',
      String(CONCURRENCY),
    ])
    const done = await child.waitFor('done')
    await child.done
    naiveSeconds = (done.elapsedMs as number) / 1000
    naiveStats = await naive.stats()
  } finally {
    await naive.close()
  }
  return { bytes, oursSeconds, naiveSeconds, oursStats, naiveStats }
}

/** The small-files section. */
export const smallFilesSection: Section = {
  name: 'small_files',
  title: 'Many small files',
  metrics: [
    { key: 'files_per_s', label: 'files per second', unit: 'files/s' },
    { key: 'api_requests_per_file', label: 'API requests per file', unit: '' },
    { key: 'speedup_vs_naive', label: 'speed-up vs naive client', unit: '×' },
  ],
  goals: {
    api_requests_per_file: { op: '<=', value: 0.05, text: '≤ 0.05' },
    speedup_vs_naive: { op: '>=', value: 1, text: '≥ 1×' },
  },
  requires: [
    'src/engine/transfer/queue.ts',
    'src/engine/sync/sync-engine.ts',
    'src/sandbox/index.ts',
  ],
  budgetMs: { quick: 75_000, full: 900_000 },
  async run(ctx) {
    const count = ctx.quick ? 1000 : 10_000
    const { bytes, oursSeconds, naiveSeconds, oursStats, naiveStats } = await compareSmallFiles(
      ctx,
      { count },
    )
    ctx.log(
      `ours ${oursSeconds.toFixed(1)} s (${oursStats.api_requests} API requests), naive ${naiveSeconds.toFixed(1)} s (${naiveStats.api_requests})`,
    )
    return {
      values: {
        files_per_s: round(count / oursSeconds, 1),
        api_requests_per_file: round(oursStats.api_requests / count, 4),
        speedup_vs_naive: round(naiveSeconds / oursSeconds, 2),
      },
      details: {
        files: count,
        bytes,
        concurrency: CONCURRENCY,
        ours_seconds: round(oursSeconds, 2),
        naive_seconds: round(naiveSeconds, 2),
        naive_files_per_s: round(count / naiveSeconds, 1),
        storage_requests_per_file: round(oursStats.storage_requests / count, 3),
        naive_api_requests_per_file: round(naiveStats.api_requests / count, 3),
        naive_storage_requests_per_file: round(naiveStats.storage_requests / count, 3),
        ours_requests: oursStats.requests,
      },
      notes: [
        `${count} files (${(bytes / 1e6).toFixed(0)} MB), ${CONCURRENCY} at a time: ours ${oursSeconds.toFixed(1)} s, naive ${naiveSeconds.toFixed(1)} s (${(count / naiveSeconds).toFixed(0)} files/s)`,
        `storage requests per file: ours ${(oursStats.storage_requests / count).toFixed(2)}, naive ${(naiveStats.storage_requests / count).toFixed(2)}; API requests per file: naive ${(naiveStats.api_requests / count).toFixed(2)}`,
      ],
    }
  },
}
