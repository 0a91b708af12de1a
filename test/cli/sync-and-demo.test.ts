import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateSampleImages } from '../../src/cli/demo/generate-images.ts'
import { boardAssets, runCli, startCli, summaryOf } from './cli-harness.ts'
import { useCliSandbox } from './cli-sandbox.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('playbook-sync sync and demo (built CLI)', () => {
  const cli = useCliSandbox('cli-sync')

  it('sync --once pairs a folder, uploads it, and the next run uploads only what is new', async () => {
    const board = cli.sandbox.boards[0]?.token ?? ''
    const folder = join(cli.dir, 'Exports')
    const images = await generateSampleImages(folder, 3, { width: 300, height: 200 })
    const home = join(cli.dir, 'home-sync')
    const first = await runCli(
      ['sync', folder, '--board', board, '--once', '--home', home, '--json'],
      cli.env,
    )
    expect(first.code, first.stderr).toBe(0)
    expect(summaryOf(first)).toMatchObject({ uploaded: 3, failed: 0 })
    expect(first.events.some((e) => e.type === 'pair')).toBe(true)
    let assets = await boardAssets(cli.sandbox.url, board)
    expect(assets.map((a) => a.title).sort()).toEqual([
      'sample-01.png',
      'sample-02.jpg',
      'sample-03.png',
    ])
    expect(assets.find((a) => a.title === 'sample-02.jpg')?.sha256).toBe(
      sha256(await readFile(images[1] ?? '')),
    )

    await writeFile(join(folder, 'late.txt'), 'a late addition')
    const second = await runCli(
      ['sync', folder, '--board', board, '--once', '--home', home, '--json'],
      cli.env,
    )
    expect(second.code, second.stderr).toBe(0)
    expect(summaryOf(second)).toMatchObject({ uploaded: 1, skipped: 3, failed: 0 })
    assets = await boardAssets(cli.sandbox.url, board)
    expect(assets).toHaveLength(4)

    const status = await runCli(['status', '--home', home, '--json'], cli.env)
    expect(status.code, status.stderr).toBe(0)
    expect(status.events[0]).toMatchObject({
      type: 'status',
      pairs: [{ board, counts: { synced: 4 } }],
    })
  })

  it('sync refuses a missing folder with exit 2', async () => {
    const run = await runCli(
      ['sync', join(cli.dir, 'nope'), '--board', 'x', '--home', join(cli.dir, 'h2')],
      {
        PLAYBOOK_API_URL: cli.sandbox.url,
        PLAYBOOK_TOKEN: cli.sandbox.token,
      },
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('nope')
  })

  it('demo --once starts its own sandbox, syncs generated images and prints the board page', async () => {
    const home = join(cli.dir, 'home-demo')
    const run = await runCli(['demo', '--once', '--home', home, '--json'], {}, 120_000)
    expect(run.code, run.stderr).toBe(0)
    const demo = run.events.find((e) => e.type === 'demo') as
      { url: string; sandbox: string; board: string } | undefined
    expect(demo?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/boards\//)
    expect(summaryOf(run)).toMatchObject({ uploaded: 8, failed: 0 })
    // The demo's sandbox is gone with the process; its data stays under home, so a rerun has the
    // images already and uploads nothing twice.
    const again = await runCli(['demo', '--once', '--home', home, '--json'], {}, 120_000)
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again)).toMatchObject({ uploaded: 0, skipped: 8, failed: 0 })
  })

  it('demo keeps watching until Ctrl-C: a file dropped in appears on the board', async () => {
    const home = join(cli.dir, 'home-demo-watch')
    const demo = startCli(['demo', '--home', home, '--json'], {}, 120_000)
    const line = await demo.waitForLine(/"type":"demo"/, 90_000)
    const info = JSON.parse(line) as { url: string; sandbox: string; board: string; folder: string }
    await demo.waitForLine(/Watching/, 30_000)
    await writeFile(join(info.folder, 'dropped.txt'), 'dropped while watching')
    let titles: string[] = []
    for (let i = 0; i < 100 && !titles.includes('dropped.txt'); i++) {
      await new Promise((r) => setTimeout(r, 200))
      titles = (await boardAssets(info.sandbox, info.board)).map((a) => a.title)
    }
    expect(titles).toContain('dropped.txt')
    const page = await fetch(info.url)
    expect(page.status).toBe(200)
    demo.kill('SIGINT')
    const done = await demo.done
    expect(done.code).toBe(130)
    expect(summaryOf(done)).toMatchObject({ failed: 0 })
  })
})
