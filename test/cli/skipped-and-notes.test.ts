import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { boardAssets, runCli, summaryOf } from './cli-harness.ts'
import { useCliSandbox } from './cli-sandbox.ts'

// The built CLI against the sandbox: `status --issues --json` lists every file skipped on purpose
// with its rule; `upload-anyway` uploads one exactly once,
// after which it is no longer skipped; a job that waits says for what in the terminal output and
// carries the engine's note in `--json`.

interface Skipped {
  relPath: string
  kind: string
  rule?: { pattern: string | null; source: string }
  sameAs?: string
  headline: string
  canUploadAnyway: boolean
}

describe('skipped files, upload-anyway and job notes (built CLI)', () => {
  const cli = useCliSandbox('cli-skipped')

  it('lists skipped files with their reasons and uploads one anyway, once', async () => {
    const board = cli.sandbox.boards[0]?.token ?? ''
    const folder = join(cli.dir, 'Exports')
    const home = join(cli.dir, 'home')
    await mkdir(folder)
    await writeFile(join(folder, 'poster.png'), 'poster pixels')
    await writeFile(join(folder, 'poster copy.png'), 'poster pixels')
    await writeFile(join(folder, 'Thumbs.db'), 'windows litter')
    await writeFile(join(folder, 'render.tmp'), 'a render being written')

    const sync = await runCli(
      ['sync', folder, '--board', board, '--once', '--home', home, '--json'],
      cli.env,
    )
    expect(sync.code, sync.stderr).toBe(0)

    // A copy under another name is an asset of its own by default (the pair does not deduplicate).
    const onBoard = (await boardAssets(cli.sandbox.url, board)).map((a) => a.title).sort()
    expect(onBoard).toEqual(['poster copy.png', 'poster.png'])
    const status = await runCli(['status', '--issues', '--json', '--home', home], cli.env)
    expect(status.code, status.stderr).toBe(0)
    const line = status.events.find((e) => e.type === 'issues') as { skipped: Skipped[] }
    const byPath = new Map(line.skipped.map((s) => [s.relPath, s]))
    expect([...byPath.keys()].sort()).toEqual(['Thumbs.db', 'render.tmp'].sort())
    expect(byPath.get('Thumbs.db')).toMatchObject({
      kind: 'ignored',
      rule: { pattern: 'Thumbs.db', source: 'built-in' },
      canUploadAnyway: true,
    })
    expect(byPath.get('render.tmp')).toMatchObject({
      rule: { pattern: '*.tmp', source: 'built-in' },
    })
    const human = await runCli(['status', '--issues', '--home', home], cli.env)
    expect(human.stdout).toContain('Skipped on purpose: 2 files')
    expect(human.stdout).toContain(
      'render.tmp: Ignored by the rule “*.tmp” on the built-in list of junk files',
    )

    const anyway = ['upload-anyway', join(folder, 'render.tmp'), '--home', home, '--json']
    const first = await runCli(anyway, cli.env)
    expect(first.code, first.stderr).toBe(0)
    expect(summaryOf(first)).toMatchObject({ uploaded: 1, failed: 0 })
    const again = await runCli(anyway, cli.env)
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again)).toMatchObject({ uploaded: 0, skipped: 1 })
    const titles = (await boardAssets(cli.sandbox.url, board)).map((a) => a.title).sort()
    expect(titles).toEqual(['poster copy.png', 'poster.png', 'render.tmp'].sort())

    // A rescan keeps it: on the board, not skipped.
    const resync = await runCli(
      ['sync', folder, '--board', board, '--once', '--home', home, '--json'],
      cli.env,
    )
    expect(resync.code, resync.stderr).toBe(0)
    const after = await runCli(['status', '--issues', '--json', '--home', home], cli.env)
    const cleared = after.events.find((e) => e.type === 'issues') as { skipped: Skipped[] }
    expect(cleared.skipped.map((s) => s.relPath)).toEqual(['Thumbs.db'])

    const outside = await runCli(
      ['upload-anyway', join(cli.dir, 'elsewhere.png'), '--home', home],
      cli.env,
    )
    expect(outside.code).toBe(2)
    expect(outside.stderr).toContain('is not in a synced folder')
  })

  it("says what a waiting job waits for: in the terminal and as the job's note in --json", async () => {
    const board = cli.sandbox.boards[1]?.token ?? ''
    const file = join(cli.dir, 'lost-answer.png')
    await writeFile(file, 'bytes whose completion answer is lost')
    await cli.faults([
      { path: '/v1/*/assets/*upload_complete', action: 'lose-response', times: 1 },
      { path: '/v1/*/assets/*batch_upload_complete', action: 'lose-response', times: 1 },
    ])
    const json = await runCli(
      ['upload', file, '--board', board, '--json', '--home', join(cli.dir, 'home-notes')],
      cli.env,
    )
    expect(json.code, json.stderr).toBe(0)
    const notes = json.events
      .filter((e) => e.type === 'job-changed')
      .map((e) => (e.job as { note?: string }).note)
    expect(notes).toContain(
      "Playbook's answer was lost: checking the board for this file before completing it again",
    )

    const second = join(cli.dir, 'lost-again.png')
    await writeFile(second, 'more bytes whose completion answer is lost')
    await cli.faults([
      { path: '/v1/*/assets/*upload_complete', action: 'lose-response', times: 1 },
      { path: '/v1/*/assets/*batch_upload_complete', action: 'lose-response', times: 1 },
    ])
    const human = await runCli(
      ['upload', second, '--board', board, '--home', join(cli.dir, 'home-notes')],
      cli.env,
    )
    await cli.faults()
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain(
      `… ${second}: Playbook's answer was lost: checking the board for this file`,
    )
    expect((await boardAssets(cli.sandbox.url, board)).map((a) => a.title).sort()).toEqual([
      'lost-again.png',
      'lost-answer.png',
    ])
  })
})
