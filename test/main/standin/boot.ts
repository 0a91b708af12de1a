/**
 * Boots the BUILT main (out/main/index.js) in a child Node process under the stand-in `electron`
 * (register.ts), from an install folder of the test's choosing (odd paths, a packed app), and
 * talks to it through the stand-in. A stand-in because no Electron binary runs here; the
 * `_electron` Playwright specs cover the real thing where one does.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StandInCommand, StandInRecord, StandInReply } from './protocol.ts'

/** The project root (where out/ and node_modules are). */
export const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
const registerUrl = new URL('./register.ts', import.meta.url).href

/**
 * Copies the built app (out/, package.json) into `<root>/<name>/resources/app` with the
 * project's node_modules linked beside it, the way an unpacked install lays it out. `root` is the
 * caller's (a temp folder it removes once the mains booted from it are stopped).
 */
export async function makeInstall(name: string, root: string): Promise<{ appDir: string }> {
  const appDir = join(root, name, 'resources', 'app')
  await mkdir(appDir, { recursive: true })
  for (const part of ['main', 'preload', 'renderer', 'first-screen'])
    await cp(join(projectRoot, 'out', part), join(appDir, 'out', part), { recursive: true })
  await cp(join(projectRoot, 'package.json'), join(appDir, 'package.json'))
  await symlink(
    join(projectRoot, 'node_modules'),
    join(appDir, 'node_modules'),
    process.platform === 'win32' ? 'junction' : 'dir',
  )
  return { appDir }
}

/** A running main under the stand-in. */
export interface BootedMain {
  readonly child: ChildProcess
  /** Where the stand-in puts userData, logs, downloads. */
  readonly base: string
  readonly home: string
  send(command: StandInCommand): Promise<unknown>
  state(): Promise<StandInRecord>
  invoke(channel: string, payload?: unknown, frameUrl?: string): Promise<unknown>
  /** Polls the record until `test` holds (no time limit of its own: the test's timeout is it). */
  until(test: (record: StandInRecord) => boolean): Promise<StandInRecord>
  /** Resolves with the exit code once the child is gone. */
  exited: Promise<number | null>
  /** Kills the child; removes `base` too when the boot made it (not one passed in). */
  stop(): Promise<void>
}

/** Options for one boot. */
export interface BootOptions {
  readonly appDir: string
  readonly argv?: readonly string[]
  readonly env?: Record<string, string>
  /** The folder for userData and home, kept on stop (default: a temp folder removed on stop). */
  readonly base?: string
}

/** Forks main under the stand-in and waits until its window is loading. */
export async function bootMain(options: BootOptions): Promise<BootedMain> {
  const base = options.base ?? (await mkdtemp(join(tmpdir(), 'pbs-user-')))
  const home = join(base, 'home')
  await mkdir(home, { recursive: true })
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (
      v !== undefined &&
      !k.startsWith('ELECTRON_') &&
      !k.startsWith('PLAYBOOK_') &&
      k !== 'NODE_ENV' &&
      k !== 'APPIMAGE'
    )
      env[k] = v
  const child = fork(join(options.appDir, 'out', 'main', 'index.js'), [...(options.argv ?? [])], {
    execArgv: ['--no-warnings', '--import', registerUrl],
    env: {
      ...env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      STANDIN_USER_DATA: base,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => resolveExit(code)),
  )
  let next = 1
  const pending = new Map<number, { ok(v: unknown): void; fail(e: Error): void }>()
  child.on('message', (reply: StandInReply) => {
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.ok) waiter?.ok(reply.value)
    else waiter?.fail(new Error(reply.error))
  })
  void exited.then(() => {
    for (const waiter of pending.values())
      waiter.fail(new Error(`main exited; its output:\n${output}`))
    pending.clear()
  })
  const send = (command: StandInCommand) =>
    new Promise<unknown>((ok, fail) => {
      if (child.exitCode !== null || !child.connected) {
        fail(new Error(`main is not running; its output:\n${output}`))
        return
      }
      const id = next++
      pending.set(id, { ok, fail })
      child.send({ ...command, id })
    })
  const state = () => send({ cmd: 'state' }) as Promise<StandInRecord>
  const until = async (test: (record: StandInRecord) => boolean) => {
    for (;;) {
      const record = await state()
      if (test(record)) return record
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const booted: BootedMain = {
    child,
    base,
    home,
    send,
    state,
    invoke: (channel, payload, frameUrl) =>
      send({ cmd: 'invoke', channel, payload, ...(frameUrl ? { frameUrl } : {}) }),
    until,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
      if (options.base === undefined) await rm(base, { recursive: true, force: true })
    },
  }
  await until((r) => r.ready && r.handled.length > 0)
  return booted
}

/** Writes a file, making its folder. */
export async function writeFileIn(dir: string, name: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}
