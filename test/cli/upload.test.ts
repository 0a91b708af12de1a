import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { generateSampleImages } from '../../src/cli/demo/generate-images.ts'
import { boardAssets, ensureCliBuilt, runCli, startCli, summaryOf } from './cli-harness.ts'
import { tempFolders } from '../support/temp-folders.ts'

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe('playbook-sync upload (built CLI against the sandbox)', () => {
  const tempFolder = tempFolders()
  let sandbox: Sandbox
  let dir: string
  let images: readonly string[]
  let files: Server
  let filesUrl: string
  let env: Record<string, string>
  beforeAll(async () => {
    await ensureCliBuilt()
    sandbox = await startSandbox({ port: 0 })
    dir = await tempFolder('pbs-cli-upload-')
    images = await generateSampleImages(join(dir, 'images'), 3, { width: 320, height: 200 })
    const png = await readFile(images[0] ?? '')
    files = createServer((req, res) => {
      if (req.url === '/hero.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
        res.end(png)
      } else {
        res.writeHead(404).end('nope')
      }
    })
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r))
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
    env = {
      PLAYBOOK_API_URL: sandbox.url,
      PLAYBOOK_TOKEN: sandbox.token,
      PLAYBOOK_ORG: sandbox.org,
    }
  }, 180_000)
  afterAll(async () => {
    await sandbox?.close()
    await new Promise((r) => files?.close(r))
  })

  it('uploads files and a folder, skips junk, names a missing file and exits 1; a rerun skips', async () => {
    const board = sandbox.boards[1]?.token ?? ''
    const folder = join(dir, 'folder')
    await mkdir(join(folder, 'sub'), { recursive: true })
    await writeFile(join(folder, 'notes.txt'), 'hello')
    await writeFile(join(folder, 'sub', 'data.bin'), Buffer.alloc(300_000, 7))
    await writeFile(join(folder, '.DS_Store'), 'junk')
    await writeFile(join(folder, 'Thumbs.db'), 'junk')
    const home = join(dir, 'home-files')
    const missing = join(dir, 'does-not-exist.png')
    const run = await runCli(
      [
        'upload',
        images[0] ?? '',
        images[1] ?? '',
        folder,
        missing,
        '--board',
        board,
        '--home',
        home,
        '--json',
      ],
      env,
    )
    expect(run.code, run.stderr).toBe(1)
    const summary = summaryOf(run)
    expect(summary).toMatchObject({ uploaded: 4, failed: 1, failures: [{ path: missing }] })
    expect(summary.failures[0]?.error).toContain('no such file')
    expect(run.events.some((e) => e.type === 'job-added')).toBe(true)
    expect(run.events.some((e) => e.type === 'job-changed')).toBe(true)
    const assets = await boardAssets(sandbox.url, board)
    expect(assets.map((a) => a.title).sort()).toEqual([
      'data.bin',
      'notes.txt',
      'sample-01.png',
      'sample-02.jpg',
    ])
    for (const path of [images[0] ?? '', join(folder, 'sub', 'data.bin')]) {
      const name = path.split('/').at(-1)
      expect(assets.find((a) => a.title === name)?.sha256).toBe(sha256(await readFile(path)))
    }
    // Running the same upload again resumes instead of duplicating: everything is skipped.
    const again = await runCli(
      ['upload', images[0] ?? '', folder, '--board', board, '--home', home, '--json'],
      env,
    )
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again)).toMatchObject({ uploaded: 0, skipped: 3, failed: 0 })
    expect(await boardAssets(sandbox.url, board)).toHaveLength(4)
  })

  it('ingests http URLs (as assets and as links) and names a URL that fails', async () => {
    const board = sandbox.boards[2]?.token ?? ''
    const home = join(dir, 'home-urls')
    const good = `${filesUrl}/hero.png`
    const bad = `${filesUrl}/missing.png`
    const run = await runCli(['upload', good, bad, '--board', board, '--home', home, '--json'], env)
    expect(run.code, run.stderr).toBe(1)
    const summary = summaryOf(run)
    expect(summary).toMatchObject({ uploaded: 1, failed: 1, failures: [{ path: bad }] })
    const link = await runCli(
      ['upload', good, '--as-link', '--board', board, '--home', home, '--json'],
      env,
    )
    expect(link.code, link.stderr).toBe(0)
    expect(summaryOf(link)).toMatchObject({ uploaded: 1, failed: 0 })
    const assets = await boardAssets(sandbox.url, board)
    const ingested = assets.filter((a) => !a.is_skeleton && a.media_type === 'image/png')
    expect(ingested.length).toBeGreaterThanOrEqual(1)
    const heroSha = sha256(await readFile(images[0] ?? ''))
    expect(ingested.some((a) => a.sha256 === heroSha)).toBe(true)
    expect(assets.filter((a) => a.source_error)).toHaveLength(1)
    expect(assets).toHaveLength(3)
  })

  it('exits 3 when the API rejects the token in the middle of a run', async () => {
    const board = sandbox.boards[0]?.token ?? ''
    const file = join(dir, 'auth.txt')
    await writeFile(file, 'needs a valid token')
    const faults = `${sandbox.url}/__sandbox/faults`
    const rule = { method: 'POST', path: '/v1', action: 'status', status: 401, times: 1 }
    await fetch(faults, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [rule] }),
    })
    try {
      const run = await runCli(
        ['upload', file, '--board', board, '--home', join(dir, 'home-401'), '--json'],
        env,
      )
      expect(run.code, run.stderr).toBe(3)
      expect(run.stderr).toContain('rejected')
      expect(run.events.at(-1)).toMatchObject({ type: 'error', exitCode: 3 })
    } finally {
      await fetch(faults, { method: 'DELETE' })
    }
  })

  it('refuses an unknown board with exit 2 naming it', async () => {
    const run = await runCli(
      ['upload', images[0] ?? '', '--board', 'NoSuchBoard', '--home', join(dir, 'home-board')],
      env,
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('NoSuchBoard')
  })

  it('stops cleanly on Ctrl-C (exit 130) and the next run finishes the same upload once', async () => {
    const board = sandbox.boards[3]?.token ?? ''
    const home = join(dir, 'home-interrupt')
    const big = join(dir, 'big.bin')
    const bytes = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251
    await writeFile(big, bytes)
    // 256 KiB chunks at 512 KiB/s: the upload is still running when the signal arrives.
    const args = [
      'upload',
      big,
      '--board',
      board,
      '--home',
      home,
      '--json',
      '--chunk-size',
      '262144',
      '--bwlimit',
      '524288',
    ]
    const first = startCli(args, env)
    await first.waitForLine(/"type":"job-progress"/)
    first.kill('SIGINT')
    const stopped = await first.done
    expect(stopped.code, stopped.stderr).toBe(130)
    expect(summaryOf(stopped)).toMatchObject({ uploaded: 0, failed: 0, pending: 1 })
    const second = await runCli(
      args.filter((a) => a !== '--bwlimit' && a !== '524288'),
      env,
    )
    expect(second.code, second.stderr).toBe(0)
    expect(summaryOf(second)).toMatchObject({ uploaded: 1, failed: 0 })
    const assets = await boardAssets(sandbox.url, board)
    expect(assets.filter((a) => a.title === 'big.bin')).toHaveLength(1)
    expect(assets.find((a) => a.title === 'big.bin')?.sha256).toBe(sha256(bytes))
    const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as {
      duplicates: number
    }
    expect(stats.duplicates).toBe(0)
  })
})
