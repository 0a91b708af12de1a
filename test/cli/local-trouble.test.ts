/**
 * Local trouble through the built CLI (a child process) against a sandbox over real HTTP: a
 * damaged, a locked and an unwritable state folder, and a disk that fills up mid-run (a small
 * tmpfs; skipped where mounting is not allowed). Each gives its message naming the folder and
 * exit 4, and the next run recovers with every file on the board once.
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { boardAssets, ensureCliBuilt, runCli, summaryOf } from './cli-harness.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('local trouble in words (built CLI)', () => {
  let sandbox: Sandbox
  let dir: string
  let env: Record<string, string>
  let board: string
  let file: string
  beforeAll(async () => {
    await ensureCliBuilt()
  }, 180_000)
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 })
    dir = await mkdtemp(join(tmpdir(), 'pbs-cli-trouble-'))
    env = {
      PLAYBOOK_API_URL: sandbox.url,
      PLAYBOOK_TOKEN: sandbox.token,
      PLAYBOOK_ORG: sandbox.org,
    }
    board = sandbox.boards[0]?.token ?? ''
    file = join(dir, 'logo.png')
    await writeFile(file, randomBytes(2000))
  })
  afterEach(async () => {
    await sandbox?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const upload = (home: string, ...paths: string[]): ReturnType<typeof runCli> =>
    runCli(
      ['upload', ...(paths.length ? paths : [file]), '--board', board, '--home', home, '--json'],
      env,
    )

  /** The `{"type":"error"}` line of a `--json` run. */
  const errorOf = (run: Awaited<ReturnType<typeof runCli>>): Record<string, unknown> | undefined =>
    run.events.find((e) => e.type === 'error')

  it('a damaged database: exit 4 naming the folder; moved aside, the next run uploads', async () => {
    const home = join(dir, 'home')
    await mkdir(home)
    await writeFile(join(home, 'state.db'), randomBytes(16_384))
    const run = await upload(home)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toContain(`state database in ${home} is damaged`)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    await rename(join(home, 'state.db'), join(home, 'state.db.damaged'))
    const next = await upload(home)
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect((await boardAssets(sandbox.url, board)).map((a) => a.sha256)).toEqual([
      sha256(await readFile(file)),
    ])
  })

  it('a damaged page found by a sync: exit 4 naming the folder, not a folder hint', async () => {
    const home = join(dir, 'home')
    const folder = join(dir, 'pics')
    await mkdir(folder)
    for (let i = 0; i < 60; i++) await writeFile(join(folder, `p${i}.png`), randomBytes(500))
    const args = ['sync', folder, '--board', board, '--once', '--home', home, '--json']
    const first = await runCli(args, env)
    expect(first.code, first.stdout + first.stderr).toBe(0)
    // Garbage over everything but the first pages (the header and schema stay readable).
    const db = join(home, 'state.db')
    const bytes = await readFile(db)
    randomBytes(bytes.length - 16_384).copy(bytes, 16_384)
    await writeFile(db, bytes)
    const run = await runCli(args, env)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toMatch(
      new RegExp(`state database in ${home} is damaged`),
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('a database locked by another process: exit 4 saying so; once released, the next run uploads', async () => {
    const home = join(dir, 'home')
    const first = await upload(home, join(dir, 'missing.png'))
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
    await writeFile(join(dir, 'a-file'), 'not a folder')
    const home = join(dir, 'a-file', 'home')
    const run = await upload(home)
    expect(run.code, run.stdout + run.stderr).toBe(4)
    expect(String(errorOf(run)?.message)).toContain(`cannot write to ${home}`)
  })

  it('a disk that fills up mid-run: exit 4 saying so; with space again, every file lands once', async (t) => {
    const home = join(dir, 'tiny')
    await mkdir(home)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', home], { stdio: 'ignore' })
    } catch {
      t.skip()
      return
    }
    try {
      const files = join(dir, 'many')
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
      const landed = (await boardAssets(sandbox.url, board)).map((a) => a.sha256)
      expect(landed.sort()).toEqual([...sums].sort())
    } finally {
      execFileSync('umount', [home], { stdio: 'ignore' })
    }
  })
})
