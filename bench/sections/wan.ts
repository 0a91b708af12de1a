/**
 * The large-file and small-files comparisons again, with every client behind the sandbox's `wan`
 * link (40 ms round trip, 200 Mbit/s each way): on loopback the sandbox's own CPU is the limit for
 * every client, so only a real link shows what batching, pipelining and streaming are worth.
 */
import { LINK_PROFILES } from '../../src/sandbox/link-profile.ts'
import type { LinkProfile } from '../../src/sandbox/link-profile.ts'
import type { Section } from '../lib/section.ts'
import { formatRate, MiB, round } from '../lib/stats.ts'
import { compareLargeFile } from './large-file.ts'
import { compareSmallFiles } from './small-files.ts'

const WAN = LINK_PROFILES.wan as LinkProfile

/** The WAN section. */
export const wanSection: Section = {
  name: 'wan',
  title: `WAN profile (${WAN.latencyMs} ms round trip, ${String(WAN.bandwidthMbit)} Mbit/s)`,
  metrics: [
    { key: 'small_files_speedup_vs_naive', label: 'small files: speed-up vs naive', unit: '×' },
    { key: 'small_files_files_per_s', label: 'small files: files per second', unit: 'files/s' },
    { key: 'large_file_ratio_vs_curl', label: 'large file: throughput vs curl', unit: '×' },
  ],
  goals: {
    small_files_speedup_vs_naive: { op: '>=', value: 5, text: '≥ 5×' },
    large_file_ratio_vs_curl: { op: '>=', value: 0.95, text: '≥ 0.95' },
  },
  requires: [
    'src/engine/transfer/queue.ts',
    'src/engine/sync/sync-engine.ts',
    'src/sandbox/link-proxy.ts',
  ],
  budgetMs: { quick: 180_000, full: 900_000 },
  async run(ctx) {
    const count = ctx.quick ? 300 : 1000
    const small = await compareSmallFiles(ctx, { count, network: WAN })
    const size = ctx.quick ? 64 * MiB : 512 * MiB
    const large = await compareLargeFile(ctx, { size, rounds: 2, network: WAN })
    const curlBest = Math.min(...large.curlTimes)
    const oursBest = Math.min(...large.ourTimes)
    ctx.log(
      `small files: ours ${small.oursSeconds.toFixed(1)} s, naive ${small.naiveSeconds.toFixed(1)} s; large file: ours ${formatRate(size / oursBest)}, curl ${formatRate(size / curlBest)}`,
    )
    return {
      values: {
        small_files_speedup_vs_naive: round(small.naiveSeconds / small.oursSeconds, 2),
        small_files_files_per_s: round(count / small.oursSeconds, 1),
        large_file_ratio_vs_curl: round(curlBest / oursBest, 3),
      },
      details: {
        profile: WAN,
        small_files: count,
        small_bytes: small.bytes,
        small_ours_seconds: round(small.oursSeconds, 2),
        small_naive_seconds: round(small.naiveSeconds, 2),
        small_ours_api_requests_per_file: round(small.oursStats.api_requests / count, 4),
        small_ours_storage_requests_per_file: round(small.oursStats.storage_requests / count, 3),
        large_size_bytes: size,
        large_curl_seconds: large.curlTimes.map((t) => round(t, 3)),
        large_ours_seconds: large.ourTimes.map((t) => round(t, 3)),
        large_peak_rss_mb: round(large.peakRssBytes / MiB, 1),
      },
      notes: [
        `${count} files of 20–200 KB, 4 at a time: ours ${small.oursSeconds.toFixed(1)} s, naive ${small.naiveSeconds.toFixed(1)} s`,
        `${size / MiB} MiB file, best of ${large.rounds}: ours ${formatRate(size / oursBest)}, curl ${formatRate(size / curlBest)}`,
      ],
    }
  },
}
