/** Starts the sandbox command in a child process and reads its first stdout line. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SandboxInfo } from '../../src/sandbox/index.ts'

const SCRIPT = fileURLToPath(new URL('./fixtures/run-sandbox.ts', import.meta.url))

/** A sandbox running in a child process. */
export interface ChildSandbox {
  readonly child: ChildProcess
  readonly info: SandboxInfo
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

/** Spawns the sandbox command with `args`; resolves once it printed its info line. */
export function spawnSandbox(args: readonly string[]): Promise<ChildSandbox> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${err}`)), 20_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0) {
        clearTimeout(timer)
        resolve({
          child,
          info: JSON.parse(out.slice(0, nl)) as SandboxInfo,
          stderr: () => err,
          exited,
        })
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`sandbox exited (${String(code)}): ${err}`))
    })
  })
}
