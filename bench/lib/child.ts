/**
 * Runs a benchmark worker as a child process (the same Node that runs the bench, so `.ts` files
 * run directly), samples its peak RSS from /proc, and collects the JSON messages it prints.
 * Workers talk back with lines that start with `@bench ` followed by one JSON object.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'

/** The line prefix a worker uses for messages to the harness. */
export const MESSAGE_PREFIX = '@bench '

/** One message from a worker. */
export type WorkerMessage = Readonly<Record<string, unknown>> & { readonly type: string }

/** How a worker run ended. */
export interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** Highest resident set size seen, in bytes (VmHWM sampling and the worker's own report). */
  readonly peakRssBytes: number
  readonly messages: readonly WorkerMessage[]
  readonly stderr: string
  readonly timedOut: boolean
}

/** A running worker. */
export interface RunningChild {
  readonly process: ChildProcess
  readonly messages: WorkerMessage[]
  /** Resolves with the first message of this type (or rejects when the worker ends first). */
  waitFor(type: string, timeoutMs?: number): Promise<WorkerMessage>
  /** Sends SIGKILL. */
  kill(): void
  /** Sends SIGINT (a clean stop, as Ctrl-C). */
  interrupt(): void
  readonly done: Promise<ChildResult>
}

/** Options for `startWorker`. */
export interface WorkerOptions {
  readonly env?: Readonly<Record<string, string>>
  /** Hard time limit; the worker is SIGKILLed past it (default 10 minutes). */
  readonly timeoutMs?: number
  /** Called for each message as it arrives. */
  readonly onMessage?: (message: WorkerMessage) => void
  /** Forward non-message stdout lines and stderr here (default: kept, shown on failure only). */
  readonly onLog?: (line: string) => void
}

/** Reads a process's peak resident set (VmHWM) in bytes; 0 where /proc is not available. */
export async function readPeakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Starts `script` (a .ts source or its bundled .mjs) with `args` under this Node. */
export function startWorker(
  script: string,
  args: readonly string[],
  options: WorkerOptions = {},
): RunningChild {
  const child = spawn(process.execPath, ['--no-warnings', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  })
  const messages: WorkerMessage[] = []
  const waiters: { type: string; resolve: (m: WorkerMessage) => void }[] = []
  let stderr = ''
  let peak = 0
  let ended = false
  let timedOut = false
  const endWaiters: (() => void)[] = []

  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith(MESSAGE_PREFIX)) {
      options.onLog?.(line)
      return
    }
    let message: WorkerMessage
    try {
      message = JSON.parse(line.slice(MESSAGE_PREFIX.length)) as WorkerMessage
    } catch {
      options.onLog?.(line)
      return
    }
    messages.push(message)
    if (typeof message.maxRssBytes === 'number') peak = Math.max(peak, message.maxRssBytes)
    options.onMessage?.(message)
    for (const waiter of [...waiters]) {
      if (waiter.type !== message.type) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(message)
    }
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 64_000) stderr += chunk
    if (options.onLog) for (const line of chunk.split('\n')) if (line) options.onLog(line)
  })

  const sampler = setInterval(() => {
    if (child.pid === undefined || ended) return
    void readPeakRss(child.pid).then((rss) => {
      peak = Math.max(peak, rss)
    })
  }, 100)
  const limit = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, options.timeoutMs ?? 600_000)

  const done = new Promise<ChildResult>((resolve) => {
    // 'close' comes after the process ended and its output was read to the end.
    child.on('close', (code, signal) => {
      ended = true
      clearInterval(sampler)
      clearTimeout(limit)
      for (const fn of endWaiters) fn()
      resolve({ code, signal, peakRssBytes: peak, messages, stderr, timedOut })
    })
  })

  return {
    process: child,
    messages,
    done,
    kill: () => {
      if (!ended) child.kill('SIGKILL')
    },
    interrupt: () => {
      if (!ended) child.kill('SIGINT')
    },
    waitFor(type, timeoutMs = 600_000) {
      const seen = messages.find((m) => m.type === type)
      if (seen) return Promise.resolve(seen)
      return new Promise<WorkerMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`worker sent no "${type}" within ${timeoutMs} ms`))
        }, timeoutMs)
        const waiter = {
          type,
          resolve: (m: WorkerMessage) => {
            clearTimeout(timer)
            resolve(m)
          },
        }
        waiters.push(waiter)
        endWaiters.push(() => {
          setImmediate(() => {
            if (!waiters.includes(waiter)) return
            clearTimeout(timer)
            waiters.splice(waiters.indexOf(waiter), 1)
            reject(
              new Error(`worker ended before sending "${type}": ${stderr.trim().slice(-2000)}`),
            )
          })
        })
      })
    },
  }
}

/** Runs a worker to its end and fails with its stderr when it does not exit 0. */
export async function runWorker(
  script: string,
  args: readonly string[],
  options: WorkerOptions = {},
): Promise<ChildResult> {
  const result = await startWorker(script, args, options).done
  if (result.timedOut) throw new Error(`${script} took longer than its time limit`)
  if (result.code !== 0) {
    throw new Error(
      `${script} exited with ${result.code ?? result.signal}: ${result.stderr.trim().slice(-2000)}`,
    )
  }
  return result
}
