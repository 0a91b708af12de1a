/**
 * Resume waste: upload a large file, SIGKILL the uploader when the sandbox has received about
 * 80 % of it, restart it on the same state, and count the bytes the server received beyond the
 * file's size (bytes sent again). The goal is at most one chunk (8 MiB by default).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { sleep, writeLargeFile } from '../lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { Section, SectionContext } from '../lib/section.ts'
import { MiB, round } from '../lib/stats.ts'

const CHUNK = 8 * MiB

/** One upload killed at about 80 % and resumed; returns the bytes sent again. */
async function killAndResume(
  ctx: SectionContext,
  path: string,
  size: number,
  sha256: string,
  trial: number,
  trials: number,
): Promise<{ resent: number; killedAt: number }> {
  const sb = await startBenchSandbox()
  try {
    const args = [...sandboxArgs(sb), '--home', join(ctx.tmp, `home-${trial}`), '--files', path]
    const first = ctx.worker('upload-worker.ts', args)
    let ended = false
    void first.done.then(() => (ended = true))
    // The sandbox shares the harness's event loop and answers stats between chunks, so a kill
    // timed from its answers lands on a chunk boundary. Later trials wait a growing part of one
    // chunk's time (measured from the rate between 20 % and 40 %) after 80 % before killing, from
    // a separate process, so that kills also land while a chunk is being read or sent.
    const reach = async (fraction: number): Promise<{ at: number; bytes: number }> => {
      for (;;) {
        if (ended) throw new Error('the upload finished before it could be killed at 80 %')
        const bytes = (await sb.stats()).bytes_received
        if (bytes >= fraction * size) return { at: performance.now(), bytes }
        await sleep(5)
      }
    }
    const a = await reach(0.2)
    const b = await reach(0.4)
    const rate = (b.bytes - a.bytes) / Math.max(1, b.at - a.at)
    await reach(0.8)
    const delayMs = (trial / trials) * (CHUNK / rate)
    const pid = first.process.pid
    if (pid === undefined) throw new Error('the upload worker has no pid')
    const killer = spawn(
      '/bin/sh',
      ['-c', `sleep ${(delayMs / 1000).toFixed(3)}; kill -9 ${pid}`],
      {
        stdio: 'ignore',
      },
    )
    await first.done
    killer.kill()
    if (first.messages.some((m) => m.type === 'done')) {
      throw new Error('the upload finished before it could be killed at 80 %')
    }
    const atKill = (await sb.stats()).bytes_received
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
    return { resent: stats.bytes_received - size, killedAt: atKill / size }
  } finally {
    await sb.close()
  }
}

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
    const trials = ctx.quick ? 2 : 5
    const resent: number[] = []
    const killedAt: number[] = []
    for (let trial = 0; trial < trials; trial++) {
      const result = await killAndResume(ctx, path, size, sha256, trial, trials)
      resent.push(result.resent)
      killedAt.push(result.killedAt)
      ctx.log(
        `trial ${trial + 1}: killed at ${round(result.killedAt * 100, 1)} %, ${result.resent} bytes sent again`,
      )
    }
    return {
      values: { resent_bytes: Math.max(...resent) },
      details: {
        size_bytes: size,
        chunk_bytes: CHUNK,
        trials,
        resent_bytes_per_trial: resent,
        killed_at_fraction: killedAt.map((f) => round(f, 3)),
      },
      notes: [
        `${size / MiB} MiB, ${trials} kills at ${killedAt.map((f) => `${round(f * 100, 1)} %`).join(', ')}: ${resent.join(', ')} bytes sent again (the worst is reported)`,
      ],
    }
  },
}
