/**
 * Large file: one generated file through our uploader (the transfer queue in its own process)
 * and through curl (one PUT of the same bytes to a resumable session of the same sandbox).
 * Throughput ratio = curl's time / ours, each from prepare to completed asset; peak RSS of ours.
 */
import { spawn } from 'node:child_process'
import { basename, join } from 'node:path'
import { writeLargeFile } from '../lib/data.ts'
import { directUpload } from '../lib/direct-upload.ts'
import { settleDisk } from '../lib/disk.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { BenchSandbox } from '../lib/sandbox.ts'
import type { Section, SectionContext } from '../lib/section.ts'
import type { LinkProfile } from '../../src/sandbox/link-profile.ts'
import { formatRate, MiB, round } from '../lib/stats.ts'

/** Uploads `path` with curl (one PUT of the whole file to the session); returns seconds. */
export async function curlUpload(sb: BenchSandbox, path: string, size: number): Promise<number> {
  const target = {
    api: sb.sandbox.url,
    org: sb.sandbox.org,
    token: sb.sandbox.token,
    board: sb.board,
  }
  return directUpload(target, 'curl.bin', size, (session, mediaType) =>
    curlPut(session, path, mediaType),
  )
}

function curlPut(session: string, path: string, mediaType: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const curl = spawn(
      'curl',
      [
        '-sS',
        '-X',
        'PUT',
        '-T',
        path,
        '-H',
        `content-type: ${mediaType}`,
        '-H',
        'Expect:',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        session,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    let err = ''
    curl.stdout.on('data', (d: Buffer) => (out += d.toString()))
    curl.stderr.on('data', (d: Buffer) => (err += d.toString()))
    curl.on('error', reject)
    curl.on('exit', (code) =>
      code === 0
        ? resolve(Number(out.trim()))
        : reject(new Error(`curl exited ${code}: ${err.trim()}`)),
    )
  })
}

/** Each client's times (seconds) for one file, and our peak RSS (bytes). */
export interface LargeFileComparison {
  readonly size: number
  readonly rounds: number
  readonly curlTimes: readonly number[]
  readonly ourTimes: readonly number[]
  /** The bare Node client's times (bench/workers/plain-put.ts); empty unless asked for. */
  readonly floorTimes: readonly number[]
  /** Its CPU time (user + system, every thread) per round, seconds. */
  readonly floorCpuSeconds: readonly number[]
  readonly peakRssBytes: number
  /** Our worker's CPU time (user + system, every thread) from enqueue to done, per round, seconds. */
  readonly ourCpuSeconds: readonly number[]
}

/**
 * Uploads one generated file of `size` bytes with curl and with ours (and with `floor`, the bare
 * Node client), `rounds` times each, every run on a fresh sandbox behind `network` (none:
 * loopback), the order turning between rounds.
 */
export async function compareLargeFile(
  ctx: SectionContext,
  options: {
    readonly size: number
    readonly rounds: number
    readonly network?: LinkProfile
    readonly floor?: boolean
  },
): Promise<LargeFileComparison> {
  const { size, rounds } = options
  const path = join(ctx.tmp, `large-${size}.bin`)
  ctx.log(`generating ${size / MiB} MiB`)
  const sha256 = await writeLargeFile(path, size)
  const curlTimes: number[] = []
  const ourTimes: number[] = []
  const floorTimes: number[] = []
  const floorCpuSeconds: number[] = []
  const ourCpuSeconds: number[] = []
  let peak = 0
  const landedOnce = async (sb: BenchSandbox, who: string): Promise<void> => {
    const landed = (await sb.assets()).filter((a) => a.title === basename(path))
    if (landed.length !== 1 || landed[0]?.sha256 !== sha256) {
      throw new Error(`${who} upload landed wrong: ${landed.length} assets`)
    }
  }
  const runCurl = async (round_: number): Promise<void> => {
    await settleDisk()
    const sb = await startBenchSandbox(options.network ? { network: options.network } : {})
    try {
      ctx.log(`curl, round ${round_ + 1}`)
      curlTimes.push(await curlUpload(sb, path, size))
    } finally {
      await sb.close()
    }
  }
  const runOurs = async (round_: number): Promise<void> => {
    await settleDisk()
    const sb = await startBenchSandbox(options.network ? { network: options.network } : {})
    try {
      ctx.log(`ours, round ${round_ + 1}`)
      const child = ctx.worker('upload-worker.ts', [
        ...sandboxArgs(sb),
        '--home',
        join(ctx.tmp, `home-${size}-${round_}`),
        '--files',
        path,
      ])
      const done = await child.waitFor('done')
      const result = await child.done
      if (result.code !== 0) throw new Error(`upload worker failed: ${result.stderr.slice(-500)}`)
      const states = done.states as string[]
      if (states[0] !== 'done') throw new Error(`our upload ended ${String(done.failures)}`)
      await landedOnce(sb, 'our')
      ourTimes.push((done.elapsedMs as number) / 1000)
      ourCpuSeconds.push((done.cpuMs as number) / 1000)
      peak = Math.max(peak, result.peakRssBytes)
    } finally {
      await sb.close()
    }
  }
  const runFloor = async (round_: number): Promise<void> => {
    await settleDisk()
    const sb = await startBenchSandbox(options.network ? { network: options.network } : {})
    try {
      ctx.log(`bare Node client, round ${round_ + 1}`)
      const child = ctx.worker('plain-put.ts', [...sandboxArgs(sb), '--file', path])
      const done = await child.waitFor('done')
      const result = await child.done
      if (result.code !== 0)
        throw new Error(`bare Node client failed: ${result.stderr.slice(-500)}`)
      await landedOnce(sb, 'the bare Node client')
      floorTimes.push((done.elapsedMs as number) / 1000)
      floorCpuSeconds.push((done.cpuMs as number) / 1000)
    } finally {
      await sb.close()
    }
  }
  // Each client gets a fresh sandbox, and the order turns: none benefits from going first.
  const clients = options.floor ? [runCurl, runOurs, runFloor] : [runCurl, runOurs]
  for (let round_ = 0; round_ < rounds; round_++) {
    const shift = round_ % clients.length
    for (const run of [...clients.slice(shift), ...clients.slice(0, shift)]) await run(round_)
  }
  return {
    size,
    rounds,
    curlTimes,
    ourTimes,
    floorTimes,
    floorCpuSeconds,
    peakRssBytes: peak,
    ourCpuSeconds,
  }
}

/** The large-file section. */
export const largeFileSection: Section = {
  name: 'large_file',
  title: 'Large file',
  metrics: [
    { key: 'throughput_ratio_vs_curl', label: 'throughput vs curl', unit: '×' },
    { key: 'peak_rss_mb', label: 'peak RSS (ours)', unit: 'MB' },
    { key: 'node_floor_ratio_vs_curl', label: 'bare Node client vs curl', unit: '×' },
  ],
  goals: {
    throughput_ratio_vs_curl: { op: '>=', value: 0.97, text: '≥ 0.97' },
    peak_rss_mb: { op: '<=', value: 200, text: '≤ 200 MB' },
  },
  requires: ['src/engine/transfer/queue.ts', 'src/sandbox/index.ts'],
  budgetMs: { quick: 60_000, full: 420_000 },
  async run(ctx) {
    const size = ctx.quick ? 128 * MiB : 1024 * MiB
    const run = await compareLargeFile(ctx, {
      size,
      // Three rounds: on loopback one slow round (the disk, a busy core) moves either client's time
      // by a quarter; the best of three is each client's own speed.
      rounds: ctx.quick ? 2 : 3,
      // No goal of its own: how fast Node itself sends here tells what part of a gap is ours.
      floor: true,
    })
    const curlBest = Math.min(...run.curlTimes)
    const oursBest = Math.min(...run.ourTimes)
    const floorBest = Math.min(...run.floorTimes)
    ctx.log(
      `curl ${formatRate(size / curlBest)}, ours ${formatRate(size / oursBest)}, bare Node ${formatRate(size / floorBest)}`,
    )
    return {
      values: {
        throughput_ratio_vs_curl: round(curlBest / oursBest, 3),
        peak_rss_mb: round(run.peakRssBytes / MiB, 1),
        node_floor_ratio_vs_curl: round(curlBest / floorBest, 3),
      },
      details: {
        size_bytes: size,
        rounds: run.rounds,
        curl_seconds: run.curlTimes.map((t) => round(t, 3)),
        ours_seconds: run.ourTimes.map((t) => round(t, 3)),
        node_floor_seconds: run.floorTimes.map((t) => round(t, 3)),
        node_floor_cpu_seconds: run.floorCpuSeconds.map((t) => round(t, 2)),
        curl_mb_per_s: round(size / curlBest / 1e6, 1),
        ours_mb_per_s: round(size / oursBest / 1e6, 1),
        ours_cpu_seconds: run.ourCpuSeconds.map((t) => round(t, 2)),
      },
      notes: [
        `${size / MiB} MiB file, best of ${run.rounds}: ours ${formatRate(size / oursBest)}, curl ${formatRate(size / curlBest)}; ours used ${round(Math.min(...run.ourCpuSeconds) / (size / 1024 ** 3), 2)} s of CPU per GiB (its least); the bare Node client (undici, no hashing, no state) ${formatRate(size / floorBest)}`,
      ],
    }
  },
}
