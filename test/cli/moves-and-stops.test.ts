/**
 * The built CLI as a child process against a sandbox over real HTTP: files moved, rewritten,
 * grown, cut or deleted while they upload, and runs stopped (SIGKILL, Ctrl-C) right after a move.
 * Every verdict comes from the sandbox's own sha256 of what landed.
 */
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, openSync, utimesSync, writeSync } from 'node:fs'
import { appendFile, mkdir, rename, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliSandbox } from './cli-sandbox.ts'
import { boardAssets, runCli, startCli, summaryOf } from './cli-harness.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const CHUNK = 262_144
const UPLOADING = /"kind":"uploading"/

describe('files that move or change while they upload (built CLI)', () => {
  const cli = useCliSandbox('cli-moves', 'each')

  /** Holds the next storage PUT (the first chunk) for `ms`, so the file can be changed meanwhile. */
  const holdFirstChunk = (ms: number): Promise<void> =>
    cli.faults([{ method: 'PUT', path: '/', action: 'delay', delay_ms: ms, times: 1 }])

  const assets = (): ReturnType<typeof boardAssets> => boardAssets(cli.sandbox.url, cli.board)

  /** Resolves once storage has received a chunk PUT (the held first chunk: it was read and sent). */
  async function chunkOnTheWire(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`${cli.sandbox.url}/__sandbox/stats`)
      const body = (await res.json()) as { requests?: Record<string, number> }
      const requests = body.requests ?? {}
      if (Object.entries(requests).some(([key, n]) => key.startsWith('PUT ') && n > 0)) return
      await sleep(10)
    }
    throw new Error('no chunk PUT reached storage')
  }

  const changes: Record<string, (path: string) => Promise<void>> = {
    append: (path) => appendFile(path, randomBytes(1000)),
    truncate: (path) => truncate(path, CHUNK),
    replace: async (path) => {
      await writeFile(`${path}.new`, randomBytes(3 * CHUNK))
      await rename(`${path}.new`, path)
    },
    delete: (path) => rm(path),
  }

  for (const [name, change] of Object.entries(changes)) {
    it(`upload: ${name} during the upload exits 1 naming the file; a rerun uploads the current file`, async () => {
      const path = join(cli.dir, `${name}.bin`)
      await writeFile(path, randomBytes(4 * CHUNK))
      const home = join(cli.dir, 'home')
      await holdFirstChunk(1500)
      const args = ['upload', path, '--board', cli.board, '--home', home, '--json']
      const run = startCli([...args, '--chunk-size', String(CHUNK)], cli.env)
      await run.waitForLine(UPLOADING)
      await change(path)
      const first = await run.done
      expect(first.code, first.stdout + first.stderr).toBe(1)
      const summary = summaryOf(first)
      expect(summary.failed).toBe(1)
      expect(summary.failures[0]?.path).toBe(path)
      expect(summary.failures[0]?.error).toMatch(/changed|vanished|shorter/)
      expect(await assets()).toEqual([])

      if (name === 'delete') await writeFile(path, randomBytes(2 * CHUNK))
      const again = await runCli(args, cli.env)
      expect(again.code, again.stdout + again.stderr).toBe(0)
      expect(summaryOf(again)).toMatchObject({ uploaded: 1, failed: 0 })
      const { readFile } = await import('node:fs/promises')
      expect((await assets()).map((a) => a.sha256)).toEqual([sha256(await readFile(path))])
    })
  }

  it('upload: a file rewritten in place with its mtime put back is never finished as a mix', async () => {
    const path = join(cli.dir, 'layout.indd')
    const v1 = randomBytes(6 * CHUNK)
    await writeFile(path, v1)
    const { mtimeMs } = await stat(path)
    const v2 = Buffer.from(v1)
    // The first block changes while it is on the wire: the bytes sent start with v1, go on with v2.
    randomBytes(CHUNK).copy(v2, 0)
    await holdFirstChunk(4000)
    const home = join(cli.dir, 'home')
    const args = ['upload', path, '--board', cli.board, '--home', home, '--json']
    const run = startCli([...args, '--chunk-size', String(CHUNK)], cli.env)
    await run.waitForLine(UPLOADING)
    await chunkOnTheWire()
    const fd = openSync(path, 'r+')
    writeSync(fd, v2, 0, CHUNK, 0)
    closeSync(fd)
    utimesSync(path, mtimeMs / 1000, mtimeMs / 1000)
    const first = await run.done
    expect(first.code, first.stdout).toBe(1)
    expect(summaryOf(first).failures.map((f) => f.path)).toEqual([path])
    expect(await assets()).toEqual([])
    const again = await runCli(args, cli.env)
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect((await assets()).map((a) => a.sha256)).toEqual([sha256(v2)])
  })

  it('sync: a file rewritten in place with its mtime put back never lands mixed; its current bytes land', async () => {
    const folder = join(cli.dir, 'rewrite')
    await mkdir(folder)
    const path = join(folder, 'poster.tif')
    const v1 = randomBytes(6 * CHUNK)
    await writeFile(path, v1)
    const { mtimeMs } = await stat(path)
    const v2 = Buffer.from(v1)
    randomBytes(CHUNK).copy(v2, 4 * CHUNK)
    await holdFirstChunk(1500)
    const home = join(cli.dir, 'home')
    const args = ['sync', folder, '--board', cli.board, '--once', '--home', home, '--json']
    const run = startCli([...args, '--chunk-size', String(CHUNK)], cli.env)
    await run.waitForLine(UPLOADING)
    // As `exiftool -P` or `cp -p` do: same size, same inode, old mtime.
    const fd = openSync(path, 'r+')
    writeSync(fd, v2, 4 * CHUNK, CHUNK, 4 * CHUNK)
    closeSync(fd)
    utimesSync(path, mtimeMs / 1000, mtimeMs / 1000)
    const first = await run.done
    const landed = (await assets()).map((a) => a.sha256)
    // Whatever the run says, nothing on the board is a mix of the two versions.
    for (const sha of landed) expect([sha256(v1), sha256(v2)]).toContain(sha)
    if (!landed.includes(sha256(v2))) {
      expect(first.code).toBe(1)
      const again = await runCli(args, cli.env)
      expect(again.code, again.stdout + again.stderr).toBe(0)
    }
    expect((await assets()).map((a) => a.sha256)).toContain(sha256(v2))
    expect((await assets()).map((a) => a.sha256)).not.toContain(sha256(v1))
    const settled = await runCli(args, cli.env)
    expect(settled.code).toBe(0)
    expect(summaryOf(settled)).toMatchObject({ uploaded: 0, failed: 0 })
  })

  const stops: readonly { signal: NodeJS.Signals; afterMs: number }[] = [
    { signal: 'SIGKILL', afterMs: 100 },
    { signal: 'SIGKILL', afterMs: 1500 },
    { signal: 'SIGINT', afterMs: 300 },
    { signal: 'SIGINT', afterMs: 1200 },
  ]
  for (const { signal, afterMs } of stops) {
    it(`sync: a file moved during its upload and a ${signal} ${afterMs} ms later lands once after the next run`, async () => {
      const folder = join(cli.dir, 'moving')
      await mkdir(join(folder, 'sub'), { recursive: true })
      const bytes = randomBytes(16 * CHUNK)
      await writeFile(join(folder, 'draft.psd'), bytes)
      await writeFile(join(folder, 'other.png'), randomBytes(1000))
      const home = join(cli.dir, 'home')
      // --flat: this is about a move mid-upload and a stop, not about sub-folder boards.
      const base = ['sync', folder, '--board', cli.board, '--home', home, '--json', '--flat']
      const run = startCli(
        [...base, '--chunk-size', String(CHUNK), '--bwlimit', String(2 * 1024 * 1024)],
        cli.env,
      )
      await run.waitForLine(UPLOADING)
      await sleep(300)
      await rename(join(folder, 'draft.psd'), join(folder, 'sub', 'final.psd'))
      // The running upload finds its path gone; the stop comes while the sync is taking that in.
      await run.waitForLine(/vanished/, 10_000)
      await sleep(afterMs)
      run.kill(signal)
      const stopped = await run.done
      if (signal === 'SIGINT') expect(stopped.code).toBe(130)

      const next = await runCli([...base, '--once'], cli.env)
      expect(next.code, next.stdout + next.stderr).toBe(0)
      const landed = await assets()
      expect(landed.filter((a) => a.sha256 === sha256(bytes))).toHaveLength(1)
      expect(landed).toHaveLength(2)

      const after = await runCli([...base, '--once'], cli.env)
      expect(after.code).toBe(0)
      expect(summaryOf(after)).toMatchObject({ uploaded: 0, failed: 0 })
      expect(await assets()).toHaveLength(2)
    })
  }
})
