/**
 * The torture run behind `npm run torture` and its short version in `npm test`: rounds of syncing
 * a folder of mixed files while the sandbox injects faults, the sync process is SIGKILLed at random
 * moments and restarted, and files are edited, renamed and added underneath it. Then one clean run
 * to the end, and the verdict, by the sync rules with the default settings (change-policy.ts): an
 * edited file becomes a new version of its asset and a copy under another name is an asset of its
 * own, so the board must hold every final content once per file that has it, nothing that never
 * existed; the queue must be empty and every file synced; the sandbox must count no duplicate
 * completion.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { startWorker } from './child.ts'
import type { RunningChild } from './child.ts'
import { sleep } from './data.ts'
import { createRng } from './random.ts'
import type { Rng } from './random.ts'
import { sandboxArgs, startBenchSandbox } from './sandbox.ts'
import type { BenchSandbox } from './sandbox.ts'

const WORKER = resolve(import.meta.dirname, '..', 'workers', 'sync-worker.ts')

/** Options for `runTorture`. */
export interface TortureOptions {
  readonly rounds: number
  readonly files: number
  readonly seed: number
  /** How long a round's sync process lives before it is killed, at most (default 4000 ms). */
  readonly maxRoundMs?: number
  /** Files larger than one 8 MiB chunk among the initial ones (default: 1 per 100 files). */
  readonly largeFiles?: number
  /** Settle time given to the pair (default 500 ms, to keep rounds short). */
  readonly settleMs?: number
  /** Fault rules added per round, at least (default 0; at most 3 either way). */
  readonly minFaults?: number
  /** Limit for the final clean run (default 240 s). */
  readonly finalTimeoutMs?: number
  readonly log?: (line: string) => void
}

/** What happened and whether the invariants hold. */
export interface TortureReport {
  readonly seed: number
  readonly rounds: number
  readonly kills: number
  /** Kills while Playbook had done a completion and held its answer back. */
  readonly completionKills: number
  readonly faults: number
  readonly edits: number
  readonly renames: number
  /** Files moved to another folder 0.1-1.5 s before a kill. */
  readonly moves: number
  readonly adds: number
  readonly files: number
  readonly assets: number
  readonly failedBeforeRetry: number
  readonly ok: boolean
  readonly problems: readonly string[]
}

const sha = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex')

function fileSize(rng: Rng): number {
  const r = rng.next()
  if (r < 0.05) return 0
  if (r < 0.75) return rng.int(1, 200_000)
  return rng.int(200_000, 3_000_000)
}

const NAMES = ['photo', 'Ébauche', 'mood board', 'スケッチ', 'final_v2', 'logo 🎨', 'render']

function faultMenu(rng: Rng): Record<string, unknown> {
  const times = rng.int(1, 2)
  const menu: Record<string, unknown>[] = [
    {
      method: 'PUT',
      path: '/storage/session/',
      action: 'reset',
      after_bytes: rng.int(0, 600_000),
      times,
    },
    {
      method: 'PUT',
      path: '/storage/session/',
      action: 'partial',
      after_bytes: rng.int(262_144, 900_000),
      times,
    },
    { method: 'PUT', path: '/storage/session/', action: 'status', status: 503, times },
    { method: 'POST', path: '/storage/upload/', action: 'status', status: 500, times },
    { method: 'PUT', path: '/storage/session/', action: 'status', status: 410, times: 1 },
    { method: 'PUT', path: '/storage/session/', action: 'status', status: 404, times: 1 },
    { path: '/v1/', action: 'status', status: 503, times },
    { path: '/v1/', action: 'status', status: 429, retry_after: 1, times: 1 },
    { path: '/v1/*/assets/batch_upload_prepare', action: 'reset', times: 1 },
    { path: '/v1/*/assets/batch_upload_complete', action: 'reset', times: 1 },
    { path: '/v1/*/assets/upload_complete', action: 'reset', times: 1 },
    {
      path: '/v1/*/assets/batch_upload_complete',
      action: 'delay',
      delay_ms: rng.int(200, 1500),
      times,
    },
    { path: '/v1/*/assets/upload_complete', action: 'delay', delay_ms: rng.int(200, 1500), times },
    { path: '/v1/*/assets/batch_upload_complete', action: 'status', status: 502, times: 1 },
    // The work is done and the answer lost: completions must be found, not repeated.
    { path: '/v1/*/assets/batch_upload_complete', action: 'lose-response', times: 1 },
    { path: '/v1/*/assets/upload_complete', action: 'lose-response', times: 1 },
    { method: 'PUT', path: '/storage/session/', action: 'lose-response', times: 1 },
  ]
  return rng.pick(menu)
}

/** What the final clean sync process reported. */
export interface FinalReport {
  readonly totals: { readonly queued: number; readonly active: number; readonly failed: number }
  readonly failedJobs: readonly string[]
  readonly notSynced: readonly string[]
}

/**
 * The verdict, by the sync rules: every final content is on the board once per file that has it
 * (copies are assets of their own); no bytes that no file ever had; no duplicate completion; the queue empty; every
 * file synced. Returns the problems (empty when all hold).
 */
export function judgeTorture(input: {
  readonly disk: ReadonlyMap<string, string>
  readonly everWritten: ReadonlySet<string>
  readonly assets: readonly { readonly sha256: string | null }[]
  readonly duplicates: number
  readonly final: FinalReport | undefined
}): string[] {
  const problems: string[] = []
  const finalShas = new Set(input.disk.values())
  const perSha = new Map<string, number>()
  for (const asset of input.assets) {
    const key = asset.sha256 ?? '(no bytes)'
    perSha.set(key, (perSha.get(key) ?? 0) + 1)
  }
  const filesPerSha = new Map<string, number>()
  for (const content of input.disk.values())
    filesPerSha.set(content, (filesPerSha.get(content) ?? 0) + 1)
  for (const [relPath, content] of input.disk) {
    const n = perSha.get(content) ?? 0
    const want = filesPerSha.get(content) ?? 1
    if (n !== want)
      problems.push(
        `${relPath}: its content is on the board ${n} times, not ${want === 1 ? 'once' : `${want} times (one per file that has it)`}`,
      )
  }
  for (const [content, n] of perSha) {
    if (!input.everWritten.has(content)) {
      problems.push(`an asset holds bytes no file ever had (${content.slice(0, 12)}…)`)
    } else if (n > 1 && !finalShas.has(content)) {
      problems.push(`an earlier version is on the board ${n} times`)
    }
  }
  if (input.duplicates !== 0) {
    problems.push(`the sandbox counted ${input.duplicates} duplicate completions`)
  }
  const final = input.final
  if (final === undefined) return problems
  if (final.totals.queued !== 0 || final.totals.active !== 0) {
    problems.push(
      `the queue is not empty: ${final.totals.queued} queued, ${final.totals.active} active`,
    )
  }
  if (final.totals.failed !== 0) {
    problems.push(`${final.totals.failed} jobs failed: ${final.failedJobs.join('; ')}`)
  }
  if (final.notSynced.length > 0) problems.push(`files not synced: ${final.notSynced.join('; ')}`)
  return problems
}

/** Lists every file under `root` as relPath → sha256. */
async function snapshotFolder(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile()) out.set(relative(root, path), sha(await readFile(path)))
    }
  }
  await walk(root)
  return out
}

/** Runs the torture; never throws for invariant failures (they are in `problems`). */
export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const log = options.log ?? (() => {})
  const rng = createRng(options.seed)
  const tmp = await mkdtemp(join(tmpdir(), 'torture-'))
  const folder = join(tmp, 'folder')
  const home = join(tmp, 'home')
  const everWritten = new Set<string>()
  const live: string[] = []
  const counters = {
    kills: 0,
    completionKills: 0,
    faults: 0,
    edits: 0,
    renames: 0,
    moves: 0,
    adds: 0,
  }
  let serial = 0
  let sb: BenchSandbox | undefined
  let child: RunningChild | undefined
  const problems: string[] = []

  const newName = (): string => {
    serial++
    const dir = rng.pick(['', 'sub', 'sub/deeper', 'other'])
    const base = `${rng.pick(NAMES)} ${serial}.${rng.pick(['jpg', 'png', 'psd', 'pdf', 'bin'])}`
    return dir ? `${dir}/${base}` : base
  }
  const writeContent = async (relPath: string, size: number, slow: boolean): Promise<void> => {
    const path = join(folder, relPath)
    await mkdir(dirname(path), { recursive: true })
    const bytes = randomBytes(size)
    everWritten.add(sha(bytes))
    if (slow && size > 1) {
      // A save that takes a moment: half now, the rest a little later.
      const half = Math.floor(size / 2)
      await writeFile(path, bytes.subarray(0, half))
      everWritten.add(sha(bytes.subarray(0, half)))
      await sleep(rng.int(50, 400))
      await writeFile(path, bytes)
    } else {
      await writeFile(path, bytes)
    }
  }
  /**
   * Moves a file to another folder (a large one, likely uploading, half the time): the move the
   * round's kill then lands on, 0.1-1.5 s later.
   */
  const move = async (large: number): Promise<void> => {
    if (live.length === 0) return
    const index = rng.chance(0.5)
      ? rng.int(0, Math.min(large, live.length) - 1)
      : rng.int(0, live.length - 1)
    const from = live[index] as string
    const to = newName()
    await mkdir(dirname(join(folder, to)), { recursive: true })
    await rename(join(folder, from), join(folder, to))
    live[index] = to
    counters.moves++
  }
  const mutate = async (): Promise<void> => {
    const what = rng.next()
    if (what < 0.4 && live.length > 0) {
      const relPath = rng.pick(live)
      await writeContent(relPath, fileSize(rng), rng.chance(0.3))
      counters.edits++
    } else if (what < 0.7 && live.length > 0) {
      const index = rng.int(0, live.length - 1)
      const from = live[index] as string
      const to = newName()
      await mkdir(dirname(join(folder, to)), { recursive: true })
      await rename(join(folder, from), join(folder, to))
      live[index] = to
      counters.renames++
    } else {
      const relPath = newName()
      await writeContent(relPath, fileSize(rng), rng.chance(0.3))
      live.push(relPath)
      counters.adds++
    }
  }

  try {
    await mkdir(folder, { recursive: true })
    const large = options.largeFiles ?? Math.max(1, Math.floor(options.files / 100))
    for (let i = 0; i < options.files; i++) {
      const relPath = newName()
      const size = i < large ? rng.int(9_000_000, 20_000_000) : fileSize(rng)
      await writeContent(relPath, size, false)
      live.push(relPath)
    }
    log(`${options.files} files written (${large} over one chunk); seed ${options.seed}`)
    sb = await startBenchSandbox({ dataDir: join(tmp, 'sandbox') })
    const args = [
      ...sandboxArgs(sb),
      '--home',
      home,
      '--folder',
      folder,
      '--settle',
      String(options.settleMs ?? 500),
      // Short rounds: a completion that never landed is sent again after 3 s, not 45 s.
      '--grace',
      '3000',
    ]

    for (let round = 1; round <= options.rounds; round++) {
      const rules = Array.from({ length: rng.int(Math.min(3, options.minFaults ?? 0), 3) }, () =>
        faultMenu(rng),
      )
      if (rules.length > 0) await sb.addFaults(rules)
      counters.faults += rules.length
      const clockJump = rng.chance(0.1)
      if (clockJump) {
        // A day passes (a laptop asleep): signed upload URLs (24 h) prepared earlier expire, so
        // their uploads must start again from prepare.
        await sb.advanceClock(25 * 3600)
        counters.faults++
      }
      // Some rounds kill the process while a completion has taken effect but its answer is held.
      const killInCompletion = rng.chance(0.35)
      const assetsBefore = killInCompletion ? (await sb.assets()).length : 0
      if (killInCompletion) {
        await sb.addFaults([
          { path: '/v1/*/assets/*upload_complete', action: 'hold', hold_ms: 120_000, times: 1 },
        ])
        counters.faults++
      }
      child = startWorker(WORKER, [...args, '--mode', 'watch'], { timeoutMs: 120_000 })
      if (killInCompletion) {
        const until = Date.now() + 15_000
        while (Date.now() < until && (await sb.assets()).length === assetsBefore) await sleep(50)
        child.kill()
        const held = await child.done
        if (held.signal === 'SIGKILL') {
          counters.kills++
          counters.completionKills++
        }
        // The hold may not have been used (nothing left to complete): do not carry it over.
        await sb.clearFaults()
        if (rules.length > 0) await sb.addFaults(rules)
        child = startWorker(WORKER, [...args, '--mode', 'watch'], { timeoutMs: 120_000 })
      }
      const lifeMs = rng.int(200, options.maxRoundMs ?? 4000)
      const mutations = rng.int(0, 4)
      const moments = Array.from({ length: mutations }, () => rng.int(0, lifeMs)).sort(
        (a, b) => a - b,
      )
      // Half the rounds also move a file shortly before the kill (and that kill is sometimes a
      // clean stop instead: SIGINT).
      const moveAt = rng.chance(0.5) ? Math.max(0, lifeMs - rng.int(100, 1500)) : undefined
      const started = Date.now()
      let moved = moveAt === undefined
      for (const at of moments) {
        if (!moved && (moveAt as number) <= at) {
          await sleep(Math.max(0, started + (moveAt as number) - Date.now()))
          await move(large)
          moved = true
        }
        await sleep(Math.max(0, started + at - Date.now()))
        await mutate()
      }
      if (!moved) {
        await sleep(Math.max(0, started + (moveAt as number) - Date.now()))
        await move(large)
      }
      await sleep(Math.max(0, started + lifeMs - Date.now()))
      const clean = moveAt !== undefined && rng.chance(0.3)
      if (clean) child.interrupt()
      else child.kill()
      const ended = await child.done
      if (ended.signal === 'SIGKILL' || ended.signal === 'SIGINT') counters.kills++
      else if (ended.code !== 0 && !(clean && ended.code === 130)) {
        problems.push(
          `round ${round}: the sync process exited ${ended.code}: ${ended.stderr.slice(-800)}`,
        )
      }
      // Changes while the app is closed.
      if (rng.chance(0.3)) await mutate()
      log(
        `round ${round}: ${rules.length} faults${clockJump ? ' and a day passes' : ''}${killInCompletion ? ', killed in a held completion' : ''}, ${mutations} changes${moveAt === undefined ? '' : `, a move ${lifeMs - moveAt} ms before`}, ${clean ? 'stopped (SIGINT)' : 'killed'} after ${lifeMs} ms`,
      )
    }

    await sb.clearFaults()
    log('final run: no faults, retry failed jobs, sync to the end')
    child = startWorker(WORKER, [...args, '--mode', 'once', '--retry-failed', '1'], {
      timeoutMs: options.finalTimeoutMs ?? 240_000,
    })
    const ended = await child.done
    const done = ended.messages.find((m) => m.type === 'done')
    if (!done) {
      problems.push(
        `the final sync did not finish (${ended.timedOut ? 'timed out' : `exit ${ended.code ?? ended.signal}`}): ${ended.stderr.slice(-1500)}`,
      )
    }

    const disk = await snapshotFolder(folder)
    const assets = await sb.assets()
    const stats = await sb.stats()
    problems.push(
      ...judgeTorture({
        disk,
        everWritten,
        assets,
        duplicates: stats.duplicates,
        final: done
          ? {
              totals: done.totals as FinalReport['totals'],
              failedJobs: done.failedJobs as string[],
              notSynced: done.notSynced as string[],
            }
          : undefined,
      }),
    )
    const retrying = ended.messages.find((m) => m.type === 'retrying')
    return {
      seed: options.seed,
      rounds: options.rounds,
      ...counters,
      files: disk.size,
      assets: assets.length,
      failedBeforeRetry: typeof retrying?.failed === 'number' ? retrying.failed : 0,
      ok: problems.length === 0,
      problems,
    }
  } finally {
    child?.kill()
    if (child) await child.done
    await sb?.close()
    await rm(tmp, { recursive: true, force: true })
  }
}
