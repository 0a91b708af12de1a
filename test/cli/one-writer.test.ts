/**
 * One writer per home: two `upload` commands started at once on one home leave every file once;
 * the second says it waits for the first.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tryHomeLock } from '../../src/engine/store/home-lock.ts'
import { useCliSandbox } from './cli-sandbox.ts'
import { boardAssets, startCli, summaryOf } from './cli-harness.ts'

describe('one writer per home', () => {
  const cli = useCliSandbox('one-writer', 'file')

  it('two uploads at once on one home: 40 files become 40 assets', async () => {
    const board = cli.sandbox.boards[2]?.token ?? ''
    const folder = join(cli.dir, 'forty')
    await mkdir(folder)
    for (let i = 0; i < 40; i++)
      await writeFile(join(folder, `f-${i}.txt`), `file ${i} `.repeat(50 + i))
    const home = join(cli.dir, 'home')
    const args = ['upload', folder, '--board', board, '--json', '--home', home]
    // Slow answers keep the first run busy while the second starts (as on a real network).
    await cli.faults([
      { path: '/v1/*/batch_upload_prepare', action: 'hold', hold_ms: 1500, times: 0 },
    ])
    const a = startCli(args, cli.env)
    const b = startCli(args, cli.env)
    const [ra, rb] = await Promise.all([a.done, b.done])
    await cli.faults()
    expect(ra.code, ra.stderr).toBe(0)
    expect(rb.code, rb.stderr).toBe(0)
    const assets = await boardAssets(cli.sandbox.url, board)
    expect(assets.length).toBe(40)
    const titles = new Set(assets.map((x) => x.title))
    expect(titles.size).toBe(40)
    // One of them waited for the other and said so.
    expect(`${ra.stdout}${rb.stdout}`).toMatch(/is using this home folder.*waiting/)
    const uploaded = summaryOf(ra).uploaded + summaryOf(rb).uploaded
    expect(uploaded).toBe(40)
  }, 120_000)

  it('the lock dies with its process: a SIGKILLed holder does not block the next run', async () => {
    const home = join(cli.dir, 'home-killed')
    const folder = join(cli.dir, 'slow')
    await mkdir(folder)
    await writeFile(join(folder, 'big.bin'), Buffer.alloc(6 * 1024 * 1024, 3))
    const board = cli.sandbox.boards[1]?.token ?? ''
    const run = startCli(
      ['upload', folder, '--board', board, '--json', '--home', home, '--bwlimit', '200000'],
      cli.env,
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
