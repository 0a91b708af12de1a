import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts'

/**
 * The headless host as a user starts it (`playbook-sync login --token`, then `playbook-sync host`),
 * in a child process that file permissions apply to: when the tests run as root, the host gets no
 * capability to override read permissions (setpriv), so a chmod 000 file is really unreadable.
 * A folder typed in the page is used only after a yes in the host's terminal: this stands in for
 * the person at that terminal and answers "y" to each "Allow? [y/N]" question.
 */
export interface BoundHost {
  readonly sandbox: Sandbox
  readonly url: string
  readonly home: string
  close(): Promise<void>
}

const bin = resolve('bin/playbook-sync.js')

function bound(args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [process.execPath, [bin, ...args]]
  const caps = '-dac_override,-dac_read_search'
  return [
    'setpriv',
    [`--inh-caps=${caps}`, `--bounding-set=${caps}`, process.execPath, bin, ...args],
  ]
}

/** Starts a sandbox, signs the CLI in with its token, and runs the host; `close()` stops all. */
export async function startBoundHost(): Promise<BoundHost> {
  const sandbox = await startSandbox({ port: 0 })
  const home = await mkdtemp(join(tmpdir(), 'pbs-bound-host-'))
  const env: NodeJS.ProcessEnv = { ...process.env, PLAYBOOK_SYNC_HOME: home }
  for (const key of Object.keys(env))
    if (key.startsWith('PLAYBOOK_') && key !== 'PLAYBOOK_SYNC_HOME') delete env[key]
  await promisify(execFile)(
    process.execPath,
    [bin, 'login', '--token', sandbox.token, '--api', sandbox.url, '--home', home],
    { env },
  )
  const [command, args] = bound(['host', '--json', '--home', home, '--api', sandbox.url])
  const child: ChildProcess = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  let asked = 0
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
    const questions = (stderr.match(/Allow\? \[y\/N\]/g) ?? []).length
    for (; asked < questions; asked++) child.stdin?.write('y\n')
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const line = out.split('\n').find((l) => l.includes('"url"'))
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${stderr}`)))
  })
  return {
    sandbox,
    url,
    home,
    async close() {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
      await sandbox.close()
      await rm(home, { recursive: true, force: true })
    },
  }
}
