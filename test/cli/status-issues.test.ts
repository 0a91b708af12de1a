import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { boardAssets, runCli } from './cli-harness.ts'
import { useCliSandbox } from './cli-sandbox.ts'

// A file the CLI cannot read (chmod 000; run without the capability to override permissions when
// the tests run as root) is listed by `status --issues --json` with its reason, keeps the folder
// from being "up to date", and is uploaded by the next sync once it can be read.

interface IssuesLine {
  type: string
  overview: { kind: string; headline: string; issues: number }
  issues: { relPath: string; kind: string; headline: string; detail: string; fixes: string[] }[]
}

describe('playbook-sync status --issues (built CLI)', () => {
  const cli = useCliSandbox('cli-issues')
  afterAll(async () => {
    await chmod(join(cli.dir, 'Exports', 'locked.png'), 0o644).catch(() => {})
  })

  it('lists an unreadable file with its reason, then it uploads after the fix', async () => {
    const board = cli.sandbox.boards[0]?.token ?? ''
    const folder = join(cli.dir, 'Exports')
    const home = join(cli.dir, 'home')
    await mkdir(folder)
    await writeFile(join(folder, 'fine.txt'), 'readable')
    await writeFile(join(folder, 'locked.png'), 'secret pixels')
    await chmod(join(folder, 'locked.png'), 0o000)

    const sync = ['sync', folder, '--board', board, '--once', '--home', home, '--json']
    const first = await runCli(sync, cli.env, undefined, { bound: true })
    expect(first.code, first.stderr).not.toBe(null)
    expect((await boardAssets(cli.sandbox.url, board)).map((a) => a.title)).toEqual(['fine.txt'])

    const status = await runCli(['status', '--issues', '--json', '--home', home], cli.env)
    expect(status.code, status.stderr).toBe(0)
    const line = status.events.find((e) => e.type === 'issues') as unknown as IssuesLine
    expect(line.issues).toEqual([
      expect.objectContaining({
        relPath: 'locked.png',
        kind: 'unreadable',
        headline: "Playbook Sync isn't allowed to read this file.",
        detail: 'EACCES',
        fixes: ['retry', 'show-file', 'open-folder'],
      }),
    ])
    expect(line.overview).toMatchObject({ kind: 'attention', issues: 1 })

    const human = await runCli(['status', '--issues', '--home', home], cli.env)
    expect(human.stdout).toContain('Sync issues: 1 file needs attention')
    expect(human.stdout).toContain("locked.png: Playbook Sync isn't allowed to read this file.")

    await chmod(join(folder, 'locked.png'), 0o644)
    const second = await runCli(sync, cli.env, undefined, { bound: true })
    expect(second.code, second.stderr).toBe(0)
    expect((await boardAssets(cli.sandbox.url, board)).map((a) => a.title).sort()).toEqual([
      'fine.txt',
      'locked.png',
    ])
    const after = await runCli(['status', '--issues', '--json', '--home', home], cli.env)
    const cleared = after.events.find((e) => e.type === 'issues') as unknown as IssuesLine
    expect(cleared.issues).toEqual([])
    expect(cleared.overview.kind).toBe('up-to-date')
  })
})
