/**
 * The built CLI as a child process against a sandbox over real HTTP: a file that failed is sent
 * again by simply running the command again once the cause is gone, and a file whose name is not
 * valid UTF-8 is named in the run's failures (exit 1), never dropped silently.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NOT_UTF8_REASON } from '../../src/engine/sync/scanner.ts'
import { useCliSandbox } from './cli-sandbox.ts'
import { boardAssets, runCli, summaryOf } from './cli-harness.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('reruns and odd names (built CLI)', () => {
  const cli = useCliSandbox('cli-reruns', 'each')

  /** Makes every prepare fail with a 422 until `clear()`. */
  const refusePrepare = (): Promise<void> =>
    cli.faults([
      { method: 'POST', path: '/*upload_prepare', action: 'status', status: 422, times: 0 },
    ])
  const clear = (): Promise<void> => cli.faults()

  for (const command of ['upload', 'sync'] as const) {
    it(`${command}: a file refused at prepare is named, and a plain rerun uploads it once the cause is gone`, async () => {
      const folder = join(cli.dir, 'work')
      await mkdir(folder)
      const path = join(folder, 'cover.png')
      await writeFile(path, randomBytes(5000))
      const home = join(cli.dir, 'home')
      const args =
        command === 'upload'
          ? ['upload', path, '--board', cli.board, '--home', home, '--json']
          : ['sync', folder, '--board', cli.board, '--once', '--home', home, '--json']
      await refusePrepare()
      const failed = await runCli(args, cli.env)
      expect(failed.code, failed.stdout + failed.stderr).toBe(1)
      expect(summaryOf(failed).failures.map((f) => f.path)).toEqual([path])

      // Still refused: the rerun tries again and names the file with the current reason.
      const still = await runCli(args, cli.env)
      expect(still.code).toBe(1)
      expect(summaryOf(still).failures.map((f) => f.path)).toEqual([path])

      await clear()
      const fixed = await runCli(args, cli.env)
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0)
      expect(summaryOf(fixed)).toMatchObject({ uploaded: 1, failed: 0 })
      expect((await boardAssets(cli.sandbox.url, cli.board)).map((a) => a.sha256)).toEqual([
        sha256(await readFile(path)),
      ])
    })
  }

  for (const command of ['upload', 'sync'] as const) {
    it(`${command}: names that are not valid UTF-8 are reported as failed; the rest uploads`, async () => {
      const folder = join(cli.dir, 'odd')
      await mkdir(folder)
      const folderBytes = Buffer.from(folder)
      const badNames = [
        Buffer.from([0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67]),
        Buffer.from('caf\xe9.png', 'latin1'),
      ]
      for (const name of badNames)
        await writeFile(Buffer.concat([folderBytes, Buffer.from('/'), name]), randomBytes(300))
      const good = join(folder, 'good.png')
      await writeFile(good, randomBytes(300))
      const home = join(cli.dir, 'home')
      const args =
        command === 'upload'
          ? ['upload', folder, '--board', cli.board, '--home', home, '--json']
          : ['sync', folder, '--board', cli.board, '--once', '--home', home, '--json']
      const run = await runCli(args, cli.env)
      expect(run.code, run.stdout + run.stderr).toBe(1)
      const summary = summaryOf(run)
      expect(summary.uploaded).toBe(1)
      expect(summary.failures).toHaveLength(2)
      for (const failure of summary.failures) expect(failure.error).toBe(NOT_UTF8_REASON)
      expect((await boardAssets(cli.sandbox.url, cli.board)).map((a) => a.title)).toEqual([
        'good.png',
      ])
    })
  }
})
