/**
 * Scan: a generated tree of many tiny files. The first catch-up scan (walk, hash, index, enqueue;
 * the queue is not started, so no upload time is counted) and, in a fresh process as after a
 * restart, a rescan with nothing changed. Peak RSS is the larger of the two processes.
 */
import { join } from 'node:path'
import { sleep, writeFileSet } from '../lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { Section } from '../lib/section.ts'
import { MiB, round } from '../lib/stats.ts'

/** The scan section. */
export const scanSection: Section = {
  name: 'scan',
  title: 'Scan',
  metrics: [
    { key: 'first_s', label: 'first catch-up scan', unit: 's' },
    { key: 'rescan_s', label: 'rescan, nothing changed', unit: 's' },
    { key: 'peak_rss_mb', label: 'peak RSS', unit: 'MB' },
  ],
  goals: {
    rescan_s: { op: '<=', value: 2, text: '≤ 2 s' },
    peak_rss_mb: { op: '<=', value: 150, text: '≤ 150 MB' },
  },
  requires: ['src/engine/sync/sync-engine.ts', 'src/engine/transfer/queue.ts'],
  budgetMs: { quick: 60_000, full: 600_000 },
  async run(ctx) {
    const count = ctx.quick ? 5_000 : 100_000
    const folder = join(ctx.tmp, 'tree')
    ctx.log(`generating a tree of ${count} files`)
    await writeFileSet(folder, { count, minSize: 100, maxSize: 4000, perDir: 250, seed: 7 })
    await sleep(2100)
    const sb = await startBenchSandbox()
    try {
      const home = join(ctx.tmp, 'home')
      const args = [...sandboxArgs(sb), '--home', home, '--folder', folder, '--mode', 'scan']
      ctx.log('first scan')
      let progress = { elapsedMs: 0, queued: 0 }
      const first = ctx.worker('sync-worker.ts', args, {
        onMessage: (m) => {
          if (m.type === 'progress')
            progress = { elapsedMs: m.elapsedMs as number, queued: m.queued as number }
        },
      })
      const limitMs = ctx.quick ? 40_000 : 480_000
      const firstMsg = await first.waitFor('scanned', limitMs).catch(() => {
        first.kill()
        const rate = progress.elapsedMs > 0 ? (progress.queued / progress.elapsedMs) * 1000 : 0
        throw new Error(
          `the first scan of ${count} files did not finish in ${limitMs / 1000} s: ${progress.queued} files queued after ${Math.round(progress.elapsedMs / 1000)} s (${Math.round(rate)} files/s on average)`,
        )
      })
      const firstRun = await first.done
      if (firstMsg.queued !== count) {
        throw new Error(`the first scan queued ${String(firstMsg.queued)} of ${count} files`)
      }
      ctx.log('rescan in a new process')
      const second = ctx.worker('sync-worker.ts', args)
      const secondMsg = await second.waitFor('scanned')
      const secondRun = await second.done
      if (secondMsg.queued !== count) {
        throw new Error(
          `after the rescan ${String(secondMsg.queued)} jobs are queued, not ${count}`,
        )
      }
      const peak = Math.max(firstRun.peakRssBytes, secondRun.peakRssBytes)
      return {
        values: {
          first_s: round((firstMsg.elapsedMs as number) / 1000, 2),
          rescan_s: round((secondMsg.elapsedMs as number) / 1000, 2),
          peak_rss_mb: round(peak / MiB, 1),
        },
        details: {
          files: count,
          first_cpu_s: round((firstMsg.cpuMs as number) / 1000, 2),
          rescan_cpu_s: round((secondMsg.cpuMs as number) / 1000, 2),
          first_peak_rss_mb: round(firstRun.peakRssBytes / MiB, 1),
          rescan_peak_rss_mb: round(secondRun.peakRssBytes / MiB, 1),
        },
        notes: [`${count.toLocaleString('en-US')} files of 100 B–4 KB`],
      }
    } finally {
      await sb.close()
    }
  },
}
