/**
 * Large file: one generated file through our uploader (the transfer queue in its own process)
 * and through curl (one PUT of the same bytes to a resumable session of the same sandbox).
 * Throughput ratio = curl's time / ours, each from prepare to completed asset; peak RSS of ours.
 */
import { spawn } from 'node:child_process'
import { basename, join } from 'node:path'
import { writeLargeFile } from '../lib/data.ts'
import { settleDisk } from '../lib/disk.ts'
import { sandboxArgs, startBenchSandbox } from '../lib/sandbox.ts'
import type { BenchSandbox } from '../lib/sandbox.ts'
import type { Section, SectionContext } from '../lib/section.ts'
import type { LinkProfile } from '../../src/sandbox/link-profile.ts'
import { formatRate, MiB, round } from '../lib/stats.ts'

/** Uploads `path` with curl through prepare → session → one PUT → complete; returns seconds. */
export async function curlUpload(sb: BenchSandbox, path: string, size: number): Promise<number> {
  const { url, org, token } = sb.sandbox
  const api = `${url}/v1/${org}/assets`
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const mediaType = 'application/octet-stream'
  const started = performance.now()
  const prepareRes = await fetch(`${api}/upload_prepare`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ asset: { title: 'curl.bin', media_type: mediaType, size } }),
  })
  if (!prepareRes.ok) throw new Error(`curl run: prepare HTTP ${prepareRes.status}`)
  const prepared = (
    (await prepareRes.json()) as {
      data: { upload_url: string; signed_gcs_id: string; encrypted_organization_metadata?: string }
    }
  ).data
  const startHeaders: Record<string, string> = {
    'x-goog-resumable': 'start',
    'content-type': mediaType,
  }
  if (prepared.encrypted_organization_metadata) {
    startHeaders['x-goog-meta-encrypted-organization-metadata'] =
      prepared.encrypted_organization_metadata
  }
  const start = await fetch(prepared.upload_url, { method: 'POST', headers: startHeaders })
  await start.arrayBuffer()
  const session = start.headers.get('location')
  if (!session) throw new Error(`curl run: session start HTTP ${start.status} without Location`)
  const status = await new Promise<string>((resolve, reject) => {
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
      code === 0 ? resolve(out.trim()) : reject(new Error(`curl exited ${code}: ${err.trim()}`)),
    )
  })
  if (status !== '200' && status !== '201') throw new Error(`curl PUT answered ${status}`)
  const complete = await fetch(`${api}/upload_complete`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      asset: {
        signed_gcs_id: prepared.signed_gcs_id,
        title: 'curl.bin',
        media_type: mediaType,
        size,
        collection_token: sb.board,
      },
    }),
  })
  if (!complete.ok) throw new Error(`curl run: complete HTTP ${complete.status}`)
  await complete.arrayBuffer()
  return (performance.now() - started) / 1000
}

/** Both clients' times (seconds) for one file, and our peak RSS (bytes). */
export interface LargeFileComparison {
  readonly size: number
  readonly rounds: number
  readonly curlTimes: readonly number[]
  readonly ourTimes: readonly number[]
  readonly peakRssBytes: number
  /** Our worker's CPU time (user + system, every thread) from enqueue to done, per round, seconds. */
  readonly ourCpuSeconds: readonly number[]
}

/**
 * Uploads one generated file of `size` bytes with curl and with ours, `rounds` times each, every
 * run on a fresh sandbox behind `network` (none: loopback), the order alternating between rounds.
 */
export async function compareLargeFile(
  ctx: SectionContext,
  options: { readonly size: number; readonly rounds: number; readonly network?: LinkProfile },
): Promise<LargeFileComparison> {
  const { size, rounds } = options
  const path = join(ctx.tmp, `large-${size}.bin`)
  ctx.log(`generating ${size / MiB} MiB`)
  const sha256 = await writeLargeFile(path, size)
  const curlTimes: number[] = []
  const ourTimes: number[] = []
  const ourCpuSeconds: number[] = []
  let peak = 0
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
      const ours = (await sb.assets()).filter((a) => a.title === basename(path))
      if (ours.length !== 1 || ours[0]?.sha256 !== sha256) {
        throw new Error(`our upload landed wrong: ${ours.length} assets`)
      }
      ourTimes.push((done.elapsedMs as number) / 1000)
      ourCpuSeconds.push((done.cpuMs as number) / 1000)
      peak = Math.max(peak, result.peakRssBytes)
    } finally {
      await sb.close()
    }
  }
  // Each client gets a fresh sandbox, and the order alternates: neither benefits from going first.
  for (let round_ = 0; round_ < rounds; round_++) {
    if (round_ % 2 === 0) {
      await runCurl(round_)
      await runOurs(round_)
    } else {
      await runOurs(round_)
      await runCurl(round_)
    }
  }
  return { size, rounds, curlTimes, ourTimes, peakRssBytes: peak, ourCpuSeconds }
}

/** The large-file section. */
export const largeFileSection: Section = {
  name: 'large_file',
  title: 'Large file',
  metrics: [
    { key: 'throughput_ratio_vs_curl', label: 'throughput vs curl', unit: '×' },
    { key: 'peak_rss_mb', label: 'peak RSS (ours)', unit: 'MB' },
  ],
  goals: {
    throughput_ratio_vs_curl: { op: '>=', value: 0.97, text: '≥ 0.97' },
    peak_rss_mb: { op: '<=', value: 200, text: '≤ 200 MB' },
  },
  requires: ['src/engine/transfer/queue.ts', 'src/sandbox/index.ts'],
  budgetMs: { quick: 60_000, full: 420_000 },
  async run(ctx) {
    const size = ctx.quick ? 128 * MiB : 1024 * MiB
    const {
      rounds,
      curlTimes,
      ourTimes,
      peakRssBytes: peak,
      ourCpuSeconds,
    } = await compareLargeFile(ctx, {
      size,
      // Three rounds: on loopback one slow round (the disk, a busy core) moves either client's time
      // by a quarter; the best of three is each client's own speed.
      rounds: ctx.quick ? 2 : 3,
    })
    const curlBest = Math.min(...curlTimes)
    const oursBest = Math.min(...ourTimes)
    ctx.log(`curl ${formatRate(size / curlBest)}, ours ${formatRate(size / oursBest)}`)
    return {
      values: {
        throughput_ratio_vs_curl: round(curlBest / oursBest, 3),
        peak_rss_mb: round(peak / MiB, 1),
      },
      details: {
        size_bytes: size,
        rounds,
        curl_seconds: curlTimes.map((t) => round(t, 3)),
        ours_seconds: ourTimes.map((t) => round(t, 3)),
        curl_mb_per_s: round(size / curlBest / 1e6, 1),
        ours_mb_per_s: round(size / oursBest / 1e6, 1),
        ours_cpu_seconds: ourCpuSeconds.map((t) => round(t, 2)),
      },
      notes: [
        `${size / MiB} MiB file, best of ${rounds}: ours ${formatRate(size / oursBest)}, curl ${formatRate(size / curlBest)}; ours used ${round(Math.min(...ourCpuSeconds) / (size / 1024 ** 3), 2)} s of CPU per GiB (its least)`,
      ],
    }
  },
}
