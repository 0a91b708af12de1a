/**
 * A sandbox for one benchmark section or torture run, with its admin API (stats, assets, faults)
 * wrapped in typed helpers. Runs in the harness process; the measured clients are child processes.
 */
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import type { LinkProfile } from '../../src/sandbox/link-profile.ts'

/** `/__sandbox/stats`. */
export interface SandboxStatsView {
  readonly requests: Readonly<Record<string, number>>
  readonly api_requests: number
  readonly storage_requests: number
  readonly bytes_received: number
  readonly duplicates: number
  readonly assets: number
}

/** One stored asset as the admin API shows it. */
export interface AdminAsset {
  readonly token: string
  readonly title: string
  readonly description?: string | null
  readonly sha256: string | null
  readonly size: number | null
  readonly signed_gcs_id: string | null
}

/** The sandbox plus helpers. */
export interface BenchSandbox {
  readonly sandbox: Sandbox
  readonly board: string
  stats(): Promise<SandboxStatsView>
  assets(board?: string): Promise<readonly AdminAsset[]>
  addFaults(rules: readonly Record<string, unknown>[]): Promise<void>
  clearFaults(): Promise<void>
  /** Moves the sandbox clock forward (signed URLs and sessions expire by it). */
  advanceClock(seconds: number): Promise<void>
  close(): Promise<void>
}

/**
 * Starts a fresh sandbox with room for `assetLimit` assets (default 1,000,000), behind the
 * `network` link when one is given (every client request, admin calls included, crosses it).
 */
export async function startBenchSandbox(
  options: { dataDir?: string; assetLimit?: number; network?: LinkProfile } = {},
): Promise<BenchSandbox> {
  const sandbox = await startSandbox({
    assetLimit: options.assetLimit ?? 1_000_000,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.network ? { network: options.network } : {}),
  })
  const board = sandbox.boards[0]?.token
  if (!board) {
    await sandbox.close()
    throw new Error('the sandbox seed has no board')
  }
  const admin = async (path: string, method = 'GET', body?: unknown): Promise<unknown> => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`)
    return res.json()
  }
  return {
    sandbox,
    board,
    stats: async () => (await admin('/__sandbox/stats')) as SandboxStatsView,
    assets: async (b = board) =>
      ((await admin(`/__sandbox/assets?board=${encodeURIComponent(b)}`)) as { data: AdminAsset[] })
        .data,
    addFaults: async (rules) => {
      await admin('/__sandbox/faults', 'POST', { rules })
    },
    clearFaults: async () => {
      await admin('/__sandbox/faults', 'DELETE')
    },
    advanceClock: async (seconds) => {
      await admin('/__sandbox/clock', 'POST', { advance_s: seconds })
    },
    close: () => sandbox.close(),
  }
}

/** The worker arguments that point a worker at this sandbox. */
export function sandboxArgs(s: BenchSandbox): string[] {
  return [
    '--api',
    s.sandbox.url,
    '--token',
    s.sandbox.token,
    '--org',
    s.sandbox.org,
    '--board',
    s.board,
  ]
}
