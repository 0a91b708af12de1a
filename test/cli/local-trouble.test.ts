/**
 * Local trouble through the built CLI (a child process) against a sandbox over real HTTP: a
 * damaged, a locked and an unwritable state folder, and a disk that fills up mid-run (a small
 * tmpfs; skipped where mounting is not allowed). Each gives its message naming the folder and
 * exit 4, and the next run recovers with every file on the board once.
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { useCliSandbox } from './cli-sandbox.ts'
import { boardAssets, runCli, summaryOf } from './cli-harness.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('local trouble in words (built CLI)', () => {
  const cli = useCliSandbox('cli-trouble', 'each')
  let file: string
  beforeEach(async () => {
    file = join(cli.dir, 'logo.png')
    await writeFile(file, randomBytes(2000))
  })

  const upload = (home: string, ...paths: string[]): ReturnType<typeof runCli> =>
    runCli(
      [
        'upload',
        ...(paths.length ? paths : [file]),
        '--board',
        cli.board,
        '--home',
        home,
        '--json',
      ],
      cli.env,
    )

  /** The `{"type":"error"}` line of a `--json` run. */
  const errorOf = (run: Awaited<ReturnType<typeof runCli>>): Record<string, unknown> | undefined =>
    run.events.find((e) => e.type === 'error')

  it('a damaged database: exit 4 naming the folder; moved aside, the next run uploads', async () => {
    const home = join(cli.dir, 'home')
    await mkdir(home)
    await writeFile(join(home, 'state.db'), randomBytes(16_384))
    const run = await upload(home)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toContain(`state database in ${home} is damaged`)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    await rename(join(home, 'state.db'), join(home, 'state.db.damaged'))
    const next = await upload(home)
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect((await boardAssets(cli.sandbox.url, cli.board)).map((a) => a.sha256)).toEqual([
      sha256(await readFile(file)),
    ])
  })

  it('a damaged page found by a sync: exit 4 naming the folder, not a folder hint', async () => {
    const home = join(cli.dir, 'home')
    const folder = join(cli.dir, 'pics')
    await mkdir(folder)
    for (let i = 0; i < 60; i++) await writeFile(join(folder, `p${i}.png`), randomBytes(500))
    const args = ['sync', folder, '--board', cli.board, '--once', '--home', home, '--json']
    const first = await runCli(args, cli.env)
    expect(first.code, first.stdout + first.stderr).toBe(0)
    // Garbage over everything but the first pages (the header and schema stay readable).
    const db = join(home, 'state.db')
    const bytes = await readFile(db)
    randomBytes(bytes.length - 16_384).copy(bytes, 16_384)
    await writeFile(db, bytes)
    const run = await runCli(args, cli.env)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toMatch(
      new RegExp(`state database in ${home} is damaged`),
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('a database locked by another process: exit 4 saying so; once released, the next run uploads', async () => {
    const home = join(cli.dir, 'home')
    const first = await upload(home, join(cli.dir, 'missing.png'))
    expect(first.code).toBe(1)
    const holder = new DatabaseSync(join(home, 'state.db'))
    holder.exec('BEGIN EXCLUSIVE')
    try {
      const run = await upload(home)
      expect(run.code, run.stdout + run.stderr).toBe(4)
      expect(String(errorOf(run)?.message)).toContain(`state database in ${home} is locked`)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
    const next = await upload(home)
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect(summaryOf(next)).toMatchObject({ uploaded: 1, failed: 0 })
  })

  it('a home that cannot be created: exit 4 naming it', async () => {
    await writeFile(join(cli.dir, 'a-file'), 'not a folder')
    const home = join(cli.dir, 'a-file', 'home')
    const run = await upload(home)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toContain(`cannot write to ${home}`)
  })

  it('a disk that fills up mid-run: exit 4 saying so; with space again, every file lands once', async (t) => {
    const home = join(cli.dir, 'tiny')
    await mkdir(home)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', home], { stdio: 'ignore' })
    } catch {
      t.skip()
      return
    }
    try {
      const files = join(cli.dir, 'many')
      await mkdir(files)
      const sums: string[] = []
      for (let i = 0; i < 400; i++) {
        const bytes = randomBytes(200)
        sums.push(sha256(bytes))
        await writeFile(join(files, `f${String(i).padStart(3, '0')}-${'x'.repeat(120)}.bin`), bytes)
      }
      // Leave the state folder a little room: enough to start, not enough for 400 jobs.
      const filler = join(home, 'filler')
      await writeFile(filler, Buffer.alloc(16 * 1024 * 1024 - 300 * 1024))
      const run = await upload(home, files)
      expect(run.code, run.stdout + run.stderr).toBe(4)
      expect(String(errorOf(run)?.message)).toContain(`the disk holding ${home} is full`)
      expect(run.stderr).not.toMatch(/\n\s+at /)
      await rm(filler)
      const next = await upload(home, files)
      expect(next.code, next.stdout + next.stderr).toBe(0)
      const landed = (await boardAssets(cli.sandbox.url, cli.board)).map((a) => a.sha256)
      expect(landed.sort()).toEqual([...sums].sort())
    } finally {
      execFileSync('umount', [home], { stdio: 'ignore' })
    }
  })
})
