/**
 * Test harness: runs the BUILT CLI (bin/playbook-sync.js → out/cli) as a child process, the way a
 * user or script does, against a sandbox started in the test. Builds the CLI bundle first when
 * out/cli is missing or older than src/.
 */
import { spawn, execFile } from 'node:child_process'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = join(root, 'bin', 'playbook-sync.js')
const built = join(root, 'out', 'cli', 'index.js')

async function newest(dir: string): Promise<number> {
  let max = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) max = Math.max(max, await newest(path))
    else max = Math.max(max, (await stat(path)).mtimeMs)
  }
  return max
}

async function stale(): Promise<boolean> {
  const builtAt = await stat(built).then(
    (s) => s.mtimeMs,
    () => 0,
  )
  return builtAt <= (await newest(join(root, 'src')))
}

/**
 * Builds out/cli when it is stale (only the CLI bundle: the desktop bundles are not needed).
 * Test files run in parallel: a lock folder makes one of them build while the others wait.
 */
export async function ensureCliBuilt(): Promise<void> {
  if (!(await stale())) return
  const lock = join(root, 'out', '.cli-build-lock')
  await mkdir(join(root, 'out'), { recursive: true })
  for (let i = 0; ; i++) {
    try {
      await mkdir(lock)
      break
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      )
      if (age > 300_000) await rm(lock, { recursive: true, force: true })
      if (i > 600) throw new Error('timed out waiting for another test to build the CLI')
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  try {
    if (await stale()) await buildCli()
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

async function buildCli(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'vite.cli.config.ts',
    ],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  )
}

/** What one CLI run did. */
export interface CliRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** stdout parsed as NDJSON (lines that are not JSON are dropped). */
  readonly events: readonly Record<string, unknown>[]
}

/** A started CLI process, for tests that interrupt it. */
export interface CliProcess {
  readonly done: Promise<CliRun>
  kill(signal: NodeJS.Signals): void
  /** Resolves once stdout contains a line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Writes to the process's standard input (only when started with `{ stdin: true }`). */
  type(text: string): void
  /** Everything it wrote to stderr so far. */
  stderr(): string
}

/** Environment without the caller's PLAYBOOK_* settings, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PLAYBOOK_')) base[k] = v
  return { ...base, ...env }
}

/**
 * How to start a process that file permissions apply to: as root (CI containers) the process gets
 * no capability to override read permissions (setpriv), so a chmod 000 file is really unreadable.
 */
export function permissionBound(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, [...args]]
  const caps = '-dac_override,-dac_read_search'
  return ['setpriv', [`--inh-caps=${caps}`, `--bounding-set=${caps}`, command, ...args]]
}

/** Starts the CLI with `args` (`bound`: file permissions apply even when the tests run as root). */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
  options: { readonly stdin?: boolean; readonly bound?: boolean } = {},
): CliProcess {
  const [command, argv] = options.bound
    ? permissionBound(process.execPath, [bin, ...args])
    : [process.execPath, [bin, ...args]]
  const child = spawn(command, argv, {
    cwd: root,
    env: cleanEnv(env),
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
  if (!child.stdout || !child.stderr) throw new Error('the CLI was started without output pipes')
  let stdout = ''
  let stderr = ''
  const lineWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = []
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    for (const w of [...lineWaiters]) {
      const line = stdout.split('\n').find((l) => w.pattern.test(l))
      if (line !== undefined) {
        lineWaiters.splice(lineWaiters.indexOf(w), 1)
        w.resolve(line)
      }
    }
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const events: Record<string, unknown>[] = []
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue
        try {
          events.push(JSON.parse(line) as Record<string, unknown>)
        } catch {
          // not JSON
        }
      }
      resolve({ code, signal, stdout, stderr, events })
    })
  })
  return {
    done,
    kill: (signal) => child.kill(signal),
    type: (text) => void child.stdin?.write(text),
    stderr: () => stderr,
    waitForLine: (pattern, wait = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const existing = stdout.split('\n').find((l) => pattern.test(l))
        if (existing !== undefined) return resolve(existing)
        const t = setTimeout(
          () =>
            reject(
              new Error(
                `no line matching ${pattern} in: ${stdout.slice(-500)} ${stderr.slice(-500)}`,
              ),
            ),
          wait,
        )
        lineWaiters.push({
          pattern,
          resolve: (l) => {
            clearTimeout(t)
            resolve(l)
          },
        })
      }),
  }
}

/** Runs the CLI to the end. */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs?: number,
  options: { readonly bound?: boolean } = {},
): Promise<CliRun> {
  return startCli(args, env, timeoutMs, options).done
}

/** The summary line of a `--json` run (its last line). */
export function summaryOf(run: CliRun): {
  uploaded: number
  skipped: number
  failed: number
  pending?: number
  failures: { path: string; error: string }[]
} {
  const last = run.events[run.events.length - 1]
  if (!last || last.type !== 'summary')
    throw new Error(`last line is not a summary:\n${run.stdout.slice(-1000)}\n${run.stderr}`)
  return last as never
}

/** Assets on a board, from the sandbox's admin API. */
export async function boardAssets(
  sandboxUrl: string,
  board: string,
): Promise<
  {
    title: string
    sha256: string | null
    media_type: string | null
    is_skeleton: boolean
    source_error: string | null
  }[]
> {
  const res = await fetch(`${sandboxUrl}/__sandbox/assets?board=${encodeURIComponent(board)}`)
  const body = (await res.json()) as { data: never[] }
  return body.data
}
