/**
 * `plugin serve` as a real child process: its first stdout line, a clean exit on SIGTERM, bad
 * arguments, and a SIGKILL mid-download followed by a redelivery that resumes the partial file.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPluginHost } from '../../../src/engine/plugins/plugin-host.ts'
import type { PluginHostEvent } from '../../../src/engine/plugins/plugin-activity.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import {
  invoke,
  sha256,
  uploadAsset,
  waitForStatus,
} from '../../sandbox/plugins/sandbox-helpers.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const script = fileURLToPath(new URL('./fixtures/serve-host.ts', import.meta.url))
const secret = 'serve-secret-0123456789abcdef'
let sandbox: Sandbox
const cleanups: (() => Promise<unknown>)[] = []

const tempFolder = tempFolders()
const tempDir = (): Promise<string> => tempFolder('plugin-serve-')

function serve(args: string[]): {
  child: ChildProcess
  firstLine: Promise<string>
  exit: Promise<number | null>
  stderr: () => string
} {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.once('line', resolve)
    void exit.then((code) =>
      reject(new Error(`serve exited (${String(code)}) before printing: ${stderr}`)),
    )
  })
  firstLine.catch(() => {}) // awaited only by tests that expect a line
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exit
  })
  return { child, firstLine, exit, stderr: () => stderr }
}

beforeAll(async () => {
  sandbox = await startSandbox({})
})

afterEach(async () => {
  await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' })
  while (cleanups.length > 0) await cleanups.pop()?.()
})

afterAll(async () => {
  await sandbox.close()
})

describe('playbook-sync plugin serve', () => {
  it('prints the plugin URLs first, serves them, and exits 0 on SIGTERM', async () => {
    const dest = await tempDir()
    const asset = await uploadAsset(sandbox, {
      title: 'note',
      mediaType: 'text/plain',
      bytes: Buffer.from('hi'),
    })
    const { child, firstLine, exit } = serve([
      '--port',
      '0',
      '--secret',
      secret,
      '--dest',
      dest,
      '--api',
      sandbox.url,
    ])
    const printed = JSON.parse(await firstLine) as { plugins: Record<string, string> }
    expect(Object.keys(printed.plugins).sort()).toEqual(['send-to-desktop', 'web-versions'])
    expect(printed.plugins['send-to-desktop']).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/plugins/${secret}/send-to-desktop$`),
    )
    const { pluginInvocationToken } = await invoke(
      sandbox,
      printed.plugins['send-to-desktop'] ?? '',
      [asset.token],
    )
    expect((await waitForStatus(sandbox, pluginInvocationToken)).status).toBe('success')
    expect(await readFile(join(dest, 'note.txt'), 'utf8')).toBe('hi')
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
  })

  it('exits 2 on bad arguments, naming the problem', async () => {
    const dest = await tempDir()
    const cases: [string[], string][] = [
      [['--port', '0', '--secret', secret], '--dest is required'],
      [['--port', 'many', '--secret', secret, '--dest', dest], '--port must be a port number'],
      [
        ['--port', '0', '--secret', 'short', '--dest', dest],
        'plugin secret must be 16-256 characters',
      ],
      [['--bogus'], "Unknown option '--bogus'"],
    ]
    for (const [args, message] of cases) {
      const run = serve(args)
      expect(await run.exit).toBe(2)
      expect(run.stderr()).toContain(message)
    }
  })

  it('resumes a download cut by SIGKILL when the invocation is delivered again', async () => {
    const dest = await tempDir()
    const stateDir = await tempDir()
    const bytes = Buffer.alloc(300_000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251
    const quick = await uploadAsset(sandbox, {
      title: 'Quick',
      mediaType: 'text/plain',
      bytes: Buffer.from('done before the crash'),
    })
    const asset = await uploadAsset(sandbox, { title: 'Film', mediaType: 'video/mp4', bytes })
    // Hold the film's download so the child is mid-transfer when it dies.
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rules: [
          {
            method: 'GET',
            path: `/storage/download/${asset.token}`,
            action: 'delay',
            delay_ms: 2000,
            times: 1,
          },
        ],
      }),
    })
    const { child, firstLine, exit } = serve([
      '--port',
      '0',
      '--secret',
      secret,
      '--dest',
      dest,
      '--state',
      stateDir,
      '--api',
      sandbox.url,
    ])
    const url =
      (JSON.parse(await firstLine) as { plugins: Record<string, string> }).plugins[
        'send-to-desktop'
      ] ?? ''
    const downloads = async (): Promise<number> => {
      const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
        requests: Record<string, number>
      }
      return stats.requests['GET /storage/download/:token'] ?? 0
    }
    const before = await downloads()
    const { pluginInvocationToken } = await invoke(sandbox, url, [quick.token, asset.token])
    const ledger = async (): Promise<string> =>
      readFile(join(stateDir, 'plugin-invocations.json'), 'utf8').catch(() => '')
    for (let i = 0; i < 300; i++) {
      if ((await downloads()) === before + 2 && (await ledger()).includes('"done"')) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(await downloads()).toBe(before + 2) // the child is now waiting on the film
    expect(await ledger()).toContain('"done"') // and has finished the quick one
    child.kill('SIGKILL')
    await exit
    // What the dead process had already written before the cut.
    const half = 100_000
    await mkdir(join(stateDir, 'parts'), { recursive: true })
    await writeFile(
      join(stateDir, 'parts', `${pluginInvocationToken}-1-${asset.token}.part`),
      bytes.subarray(0, half),
    )

    const host = await startPluginHost({
      port: Number(new URL(url).port),
      secret,
      dest,
      stateDir,
      apiUrl: sandbox.url,
    })
    cleanups.push(() => host.close())
    const events: PluginHostEvent[] = []
    host.subscribe((event) => events.push(event))
    const redelivered = await fetch(
      `${sandbox.url}/__sandbox/plugins/${pluginInvocationToken}/redeliver`,
      {
        method: 'POST',
      },
    )
    expect(((await redelivered.json()) as { plugin_status: number }).plugin_status).toBe(200)
    expect((await waitForStatus(sandbox, pluginInvocationToken)).status).toBe('success')
    expect(events[0]).toMatchObject({ type: 'invocation-accepted', resumed: true })
    const progress = events.flatMap((e) =>
      e.type === 'item' && e.item.state.kind === 'downloading' && e.item.state.bytesTotal !== null
        ? [e.item.state.bytesDone]
        : [],
    )
    expect(progress[0]).toBe(half) // the server answered the Range request from where the file stopped
    expect(sha256(await readFile(join(dest, 'Film.mp4')))).toBe(asset.sha256)
    expect((await readdir(dest)).filter((n) => !n.startsWith('.')).sort()).toEqual([
      'Film.mp4',
      'Quick.txt',
    ])
    expect(events.filter((e) => e.type === 'item' && e.item.state.kind === 'done')).toHaveLength(2)
    expect(await readdir(join(stateDir, 'parts'))).toEqual([])
  })
})
