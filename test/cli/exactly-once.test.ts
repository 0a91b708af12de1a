/**
 * The built CLI against a Playbook whose records carry no signed_gcs_id and which answers
 * completions late: `upload` and `sync` killed (SIGKILL) while a completion is done but its answer
 * held, then run again, leave every file exactly once; so does a fresh home onto a board that
 * already holds the files; `--force` uploads anyway.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliSandbox } from './cli-sandbox.ts'
import { boardAssets, runCli, startCli, summaryOf } from './cli-harness.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('exactly once with the built CLI', () => {
  const cli = useCliSandbox('exactly-once', 'file')

  async function folderOf(name: string, count: number): Promise<string> {
    const folder = join(cli.dir, name)
    await mkdir(folder, { recursive: true })
    for (let i = 0; i < count; i++)
      await writeFile(join(folder, `${name}-${i}.bin`), Buffer.from(`${name} ${i} `.repeat(40 + i)))
    return folder
  }

  /** Every file of `folder` is on `board` exactly once, with its bytes. */
  async function exactlyOnce(folder: string, board: string): Promise<void> {
    const assets = await boardAssets(cli.sandbox.url, board)
    for (const name of await readdir(folder)) {
      const want = sha256(await readFile(join(folder, name)))
      const found = assets.filter((a) => a.title === name)
      expect(
        found.map((a) => a.sha256),
        name,
      ).toEqual([want])
    }
  }

  for (const command of ['upload', 'sync'] as const) {
    it(`${command}: SIGKILL while a completion is held, run again: each file once`, async () => {
      const board = cli.sandbox.boards[command === 'upload' ? 0 : 1]?.token ?? ''
      const folder = await folderOf(`held-${command}`, 6)
      const home = join(cli.dir, `home-held-${command}`)
      const args =
        command === 'upload'
          ? ['upload', folder, '--board', board, '--json', '--home', home]
          : ['sync', folder, '--board', board, '--once', '--json', '--home', home]
      await cli.faults([
        { path: '/v1/*/assets/*upload_complete', action: 'hold', hold_ms: 120_000 },
      ])
      const first = startCli(args, cli.env)
      for (let i = 0; i < 600 && (await boardAssets(cli.sandbox.url, board)).length < 6; i++)
        await new Promise((r) => setTimeout(r, 50))
      expect((await boardAssets(cli.sandbox.url, board)).length).toBe(6)
      first.kill('SIGKILL')
      expect((await first.done).signal).toBe('SIGKILL')
      await cli.faults([])
      const again = await runCli(args, cli.env)
      expect(again.code, again.stderr).toBe(0)
      await exactlyOnce(folder, board)
      const stats = (await (await fetch(`${cli.sandbox.url}/__sandbox/stats`)).json()) as {
        duplicates: number
      }
      expect(stats.duplicates).toBe(0)
    }, 120_000)
  }

  it('fresh homes onto a board that holds the files upload nothing again; --force does', async () => {
    const board = cli.sandbox.boards[2]?.token ?? ''
    const folder = await folderOf('fresh', 9)
    for (const n of [1, 2, 3]) {
      const run = await runCli(
        [
          'sync',
          folder,
          '--board',
          board,
          '--once',
          '--json',
          '--home',
          join(cli.dir, `fresh-${n}`),
        ],
        cli.env,
      )
      expect(run.code, run.stderr).toBe(0)
    }
    const upload = await runCli(
      ['upload', folder, '--board', board, '--json', '--home', join(cli.dir, 'fresh-up')],
      cli.env,
    )
    expect(upload.code, upload.stderr).toBe(0)
    await exactlyOnce(folder, board)
    const forced = await runCli(
      [
        'upload',
        join(folder, 'fresh-0.bin'),
        '--board',
        board,
        '--force',
        '--json',
        '--home',
        join(cli.dir, 'fresh-force'),
      ],
      cli.env,
    )
    expect(forced.code, forced.stderr).toBe(0)
    expect(summaryOf(forced).failed).toBe(0)
    const copies = (await boardAssets(cli.sandbox.url, board)).filter(
      (a) => a.title === 'fresh-0.bin',
    )
    expect(copies.length).toBe(2)
  }, 180_000)
})
