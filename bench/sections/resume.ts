/**
 * Resume waste: upload a large file, SIGKILL the uploader when the sandbox has received about
 * 80 % of it, restart it on the same state, and count the bytes the server received beyond the
 * file's size (bytes sent again). The goal is at most one chunk (8 MiB by default).
 */
import { join } from 'node:path'
import { sleep, writeLargeFile } from '../lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { Section } from '../lib/section.ts'
import { MiB, round } from '../lib/stats.ts'

const CHUNK = 8 * MiB

/** The resume section. */
export const resumeSection: Section = {
  name: 'resume',
  title: 'Resume after a crash',
  metrics: [{ key: 'resent_bytes', label: 'bytes sent again', unit: 'bytes' }],
  goals: { resent_bytes: { op: '<=', value: CHUNK, text: '≤ one chunk (8 MiB)' } },
  requires: ['src/engine/transfer/queue.ts', 'src/sandbox/index.ts'],
  budgetMs: { quick: 60_000, full: 300_000 },
  async run(ctx) {
    const size = ctx.quick ? 128 * MiB : 512 * MiB
    const path = join(ctx.tmp, 'resume.bin')
    ctx.log(`generating ${size / MiB} MiB`)
    const sha256 = await writeLargeFile(path, size)
    const sb = await startBenchSandbox()
    try {
      const args = [...sandboxArgs(sb), '--home', join(ctx.tmp, 'home'), '--files', path]
      const first = ctx.worker('upload-worker.ts', args)
      let received = 0
      let ended = false
      void first.done.then(() => (ended = true))
      while (!ended && received < 0.8 * size) {
        await sleep(10)
        received = (await sb.stats()).bytes_received
      }
      if (ended) throw new Error('the upload finished before it could be killed at 80 %')
      first.kill()
      await first.done
      const atKill = (await sb.stats()).bytes_received
      ctx.log(`killed at ${round((atKill / size) * 100, 1)} %, restarting`)
      const second = ctx.worker('upload-worker.ts', args)
      const done = await second.waitFor('done')
      await second.done
      if ((done.states as string[])[0] !== 'done') {
        throw new Error(`the resumed upload ended: ${String(done.failures)}`)
      }
      const stats = await sb.stats()
      const assets = (await sb.assets()).filter((a) => a.title === 'resume.bin')
      if (assets.length !== 1 || assets[0]?.sha256 !== sha256 || stats.duplicates !== 0) {
        throw new Error(`after resuming: ${assets.length} assets, ${stats.duplicates} duplicates`)
      }
      const resent = stats.bytes_received - size
      return {
        values: { resent_bytes: resent },
        details: {
          size_bytes: size,
          chunk_bytes: CHUNK,
          killed_at_fraction: round(atKill / size, 3),
          bytes_received_total: stats.bytes_received,
          resent_mib: round(resent / MiB, 2),
        },
      }
    } finally {
      await sb.close()
    }
  },
}
