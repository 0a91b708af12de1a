/**
 * Watch latency: the sync engine watches a folder at default settings (settle 2 s); files are
 * written and closed one by one; latency = closed → the file's job leaves `queued` (its upload
 * starts with prepare). Also reports closed → enqueued in the details.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { WorkerMessage } from '../lib/child.ts'
import { sleep } from '../lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { Section } from '../lib/section.ts'
import { percentile, round } from '../lib/stats.ts'

const STARTED = new Set(['preparing', 'uploading', 'completing', 'done'])

/** The watch section. */
export const watchSection: Section = {
  name: 'watch',
  title: 'Watch latency',
  metrics: [
    { key: 'latency_p50_ms', label: 'closed → upload started, median', unit: 'ms' },
    { key: 'latency_p95_ms', label: 'closed → upload started, p95', unit: 'ms' },
  ],
  requires: ['src/engine/sync/sync-engine.ts', 'src/engine/transfer/queue.ts'],
  budgetMs: { quick: 45_000, full: 180_000 },
  async run(ctx) {
    const count = ctx.quick ? 10 : 40
    const spacingMs = ctx.quick ? 300 : 700
    const folder = join(ctx.tmp, 'watched')
    await mkdir(folder, { recursive: true })
    const sb = await startBenchSandbox()
    try {
      const enqueued = new Map<string, number>()
      const started = new Map<string, number>()
      const onMessage = (m: WorkerMessage): void => {
        if (m.type !== 'job' || typeof m.relPath !== 'string') return
        const at = m.at as number
        if (!enqueued.has(m.relPath)) enqueued.set(m.relPath, at)
        if (STARTED.has(m.state as string) && !started.has(m.relPath)) started.set(m.relPath, at)
      }
      const child = ctx.worker(
        'sync-worker.ts',
        [
          ...sandboxArgs(sb),
          '--home',
          join(ctx.tmp, 'home'),
          '--folder',
          folder,
          '--mode',
          'watch',
          '--report-jobs',
          '1',
        ],
        { onMessage },
      )
      await child.waitFor('ready', 30_000)
      const closedAt = new Map<string, number>()
      ctx.log(`writing ${count} files, ${spacingMs} ms apart`)
      for (let i = 0; i < count; i++) {
        const relPath = `shot-${String(i).padStart(3, '0')}.png`
        await writeFile(join(folder, relPath), randomBytes(50_000 + i))
        closedAt.set(relPath, Date.now())
        await sleep(spacingMs)
      }
      const deadline = Date.now() + 30_000
      while (started.size < count && Date.now() < deadline) await sleep(100)
      child.kill()
      await child.done
      const latencies = [...closedAt].flatMap(([relPath, at]) => {
        const s = started.get(relPath)
        return s === undefined ? [] : [s - at]
      })
      const toQueue = [...closedAt].flatMap(([relPath, at]) => {
        const s = enqueued.get(relPath)
        return s === undefined ? [] : [s - at]
      })
      if (latencies.length < count) {
        throw new Error(`only ${latencies.length} of ${count} written files started uploading`)
      }
      return {
        values: {
          latency_p50_ms: Math.round(percentile(latencies, 50)),
          latency_p95_ms: Math.round(percentile(latencies, 95)),
        },
        details: {
          files: count,
          spacing_ms: spacingMs,
          settle_ms_default: 2000,
          enqueue_p50_ms: Math.round(percentile(toQueue, 50)),
          enqueue_p95_ms: Math.round(percentile(toQueue, 95)),
          min_ms: round(Math.min(...latencies), 0),
          max_ms: round(Math.max(...latencies), 0),
        },
        notes: [
          `${count} files, default settle time 2 s; closed → enqueued: median ${Math.round(percentile(toQueue, 50))} ms`,
        ],
      }
    } finally {
      await sb.close()
    }
  },
}
