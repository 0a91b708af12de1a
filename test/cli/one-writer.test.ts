/**
 * One writer per home: two `upload` commands started at once on one home leave every file once;
 * the second says it waits for the first.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { tryHomeLock } from '../../src/engine/store/home-lock.ts'
import { boardAssets, ensureCliBuilt, startCli, summaryOf } from './cli-harness.ts'

describe('one writer per home', () => {
  let sandbox: Sandbox
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    await ensureCliBuilt()
    sandbox = await startSandbox({ port: 0 })
    dir = await mkdtemp(join(tmpdir(), 'pbs-one-writer-'))
    env = {
      PLAYBOOK_API_URL: sandbox.url,
      PLAYBOOK_TOKEN: sandbox.token,
      PLAYBOOK_ORG: sandbox.org,
    }
  }, 180_000)
  afterAll(async () => {
    await sandbox?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('two uploads at once on one home: 40 files become 40 assets', async () => {
    const board = sandbox.boards[2]?.token ?? ''
    const folder = join(dir, 'forty')
    await mkdir(folder)
    for (let i = 0; i < 40; i++)
      await writeFile(join(folder, `f-${i}.txt`), `file ${i} `.repeat(50 + i))
    const home = join(dir, 'home')
    const args = ['upload', folder, '--board', board, '--json', '--home', home]
    // Slow answers keep the first run busy while the second starts (as on a real network).
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rules: [{ path: '/v1/*/batch_upload_prepare', action: 'hold', hold_ms: 1500, times: 0 }],
      }),
    })
    const a = startCli(args, env)
    const b = startCli(args, env)
    const [ra, rb] = await Promise.all([a.done, b.done])
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' })
    expect(ra.code, ra.stderr).toBe(0)
    expect(rb.code, rb.stderr).toBe(0)
    const assets = await boardAssets(sandbox.url, board)
    expect(assets.length).toBe(40)
    const titles = new Set(assets.map((x) => x.title))
    expect(titles.size).toBe(40)
    // One of them waited for the other and said so.
    expect(`${ra.stdout}${rb.stdout}`).toMatch(/is using this home folder.*waiting/)
    const uploaded = summaryOf(ra).uploaded + summaryOf(rb).uploaded
    expect(uploaded).toBe(40)
  }, 120_000)

  it('the lock dies with its process: a SIGKILLed holder does not block the next run', async () => {
    const home = join(dir, 'home-killed')
    const folder = join(dir, 'slow')
    await mkdir(folder)
    await writeFile(join(folder, 'big.bin'), Buffer.alloc(6 * 1024 * 1024, 3))
    const board = sandbox.boards[1]?.token ?? ''
    const run = startCli(
      ['upload', folder, '--board', board, '--json', '--home', home, '--bwlimit', '200000'],
      env,
    )
    await run.waitForLine(/"kind":"uploading"/)
    expect(tryHomeLock(home)).toBeUndefined()
    run.kill('SIGKILL')
    await run.done
    const lock = tryHomeLock(home)
    expect(lock).toBeDefined()
    lock?.release()
  }, 60_000)
})
