/**
 * Sub-folders as boards, as a user runs it: the built CLI against the sandbox over real HTTP, on
 * real folders. A nested tree becomes the board tree (once, even when the CLI is SIGKILLed
 * between creating a board and recording it); `--flat` keeps everything on the board; a server
 * without board creation gets the branch flattened, a note and one message, nothing lost.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { boardAssets, runCli, startCli, summaryOf } from './cli-harness.ts'
import { useCliSandbox } from './cli-sandbox.ts'

interface ListedBoard {
  readonly id: number
  readonly token: string
  readonly title: string
  readonly parent_id: number | null
}

async function listBoards(sandbox: Sandbox): Promise<ListedBoard[]> {
  const res = await fetch(`${sandbox.url}/v1/${sandbox.org}/boards?depth=all&per_page=100`, {
    headers: { authorization: `Bearer ${sandbox.token}` },
  })
  return ((await res.json()) as { data: ListedBoard[] }).data
}

/** The children of `parent` titled `title` (the sandbox's public listing, documented fields). */
async function childrenTitled(
  sandbox: Sandbox,
  parent: string,
  title: string,
): Promise<ListedBoard[]> {
  const boards = await listBoards(sandbox)
  const p = boards.find((b) => b.token === parent)
  return boards.filter((b) => b.parent_id === p?.id && b.title === title)
}

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, ...rel.split('/'))
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, text)
  }
}

/** `sync FOLDER --board BOARD --once --home HOME --json`, plus `extra` flags. */
const syncOnce = (folder: string, board: string, home: string, ...extra: string[]): string[] => [
  'sync',
  folder,
  '--board',
  board,
  '--once',
  ...extra,
  '--home',
  home,
  '--json',
]

const sandboxPost = (sandbox: Sandbox, path: string, body: unknown): Promise<Response> =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('sync: the folder is the board (built CLI, sandbox over HTTP)', () => {
  const setup = useCliSandbox('cli-subboards')
  /** A fresh top board per test, so tests do not see each other's children. */
  const topBoard = async (title: string): Promise<string> => {
    const res = await fetch(`${setup.sandbox.url}/v1/${setup.sandbox.org}/boards`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${setup.sandbox.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ board: { title } }),
    })
    return ((await res.json()) as { data: { token: string } }).data.token
  }

  it('a nested tree becomes the board tree; a second run makes no second board', async () => {
    const board = await topBoard('Exports')
    const folder = join(setup.dir, 'tree')
    await tree(folder, {
      'top.txt': 'top',
      'Moodboard/a.txt': 'a',
      'Moodboard/Refs/b.txt': 'b',
      'Print/c.txt': 'c',
    })
    const home = join(setup.dir, 'home-tree')
    const run = await runCli(syncOnce(folder, board, home), setup.env)
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run)).toMatchObject({ uploaded: 4, failed: 0 })
    const [mood] = await childrenTitled(setup.sandbox, board, 'Moodboard')
    const [print] = await childrenTitled(setup.sandbox, board, 'Print')
    const [refs] = await childrenTitled(setup.sandbox, mood?.token ?? '', 'Refs')
    expect(mood && print && refs).toBeTruthy()
    expect((await boardAssets(setup.sandbox.url, board)).map((a) => a.title)).toEqual(['top.txt'])
    expect((await boardAssets(setup.sandbox.url, mood?.token ?? '')).map((a) => a.title)).toEqual([
      'a.txt',
    ])
    expect((await boardAssets(setup.sandbox.url, refs?.token ?? '')).map((a) => a.title)).toEqual([
      'b.txt',
    ])
    expect((await boardAssets(setup.sandbox.url, print?.token ?? '')).map((a) => a.title)).toEqual([
      'c.txt',
    ])

    // A new file in a known folder, from a fresh home: the existing child board is reused.
    await writeFile(join(folder, 'Moodboard', 'late.txt'), 'late')
    const again = await runCli(syncOnce(folder, board, join(setup.dir, 'home-tree-2')), setup.env)
    expect(again.code, again.stderr).toBe(0)
    expect(await childrenTitled(setup.sandbox, board, 'Moodboard')).toHaveLength(1)
    expect(
      (await boardAssets(setup.sandbox.url, mood?.token ?? '')).map((a) => a.title).sort(),
    ).toEqual(['a.txt', 'late.txt'])
  }, 120_000)

  it('--flat keeps every file on the board itself', async () => {
    const board = await topBoard('Flat')
    const folder = join(setup.dir, 'flat')
    await tree(folder, { 'one.txt': '1', 'Sub/two.txt': '2' })
    const run = await runCli(
      syncOnce(folder, board, join(setup.dir, 'home-flat'), '--flat'),
      setup.env,
    )
    expect(run.code, run.stderr).toBe(0)
    expect((await boardAssets(setup.sandbox.url, board)).map((a) => a.title).sort()).toEqual([
      'one.txt',
      'two.txt',
    ])
    expect(await childrenTitled(setup.sandbox, board, 'Sub')).toHaveLength(0)
  }, 120_000)

  it('SIGKILL between creating a board and recording it: the restart finds it, no second board', async () => {
    const board = await topBoard('Crash')
    const folder = join(setup.dir, 'crash')
    await tree(folder, { 'Shots/one.txt': 'one', 'Shots/two.txt': 'two' })
    const home = join(setup.dir, 'home-crash')
    // The server makes the board, then holds its answer: the CLI is killed while it waits.
    await sandboxPost(setup.sandbox, '/__sandbox/faults', {
      rules: [
        {
          method: 'POST',
          path: `/v1/${setup.sandbox.org}/boards`,
          action: 'hold',
          hold_ms: 60_000,
        },
      ],
    })
    const cli = startCli(syncOnce(folder, board, home), setup.env)
    for (let i = 0; (await childrenTitled(setup.sandbox, board, 'Shots')).length === 0; i++) {
      if (i > 600) throw new Error(`no board was made: ${cli.stderr()}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    cli.kill('SIGKILL')
    const killed = await cli.done
    expect(killed.signal).toBe('SIGKILL')
    await fetch(`${setup.sandbox.url}/__sandbox/faults`, { method: 'DELETE' })

    const again = await runCli(syncOnce(folder, board, home), setup.env)
    expect(again.code, again.stderr).toBe(0)
    const shots = await childrenTitled(setup.sandbox, board, 'Shots')
    expect(shots).toHaveLength(1)
    expect(
      (await boardAssets(setup.sandbox.url, shots[0]?.token ?? '')).map((a) => a.title).sort(),
    ).toEqual(['one.txt', 'two.txt'])
  }, 120_000)

  it('a server without board creation: the branch goes to the board above, with a note and one message', async () => {
    const board = await topBoard('No routes')
    const folder = join(setup.dir, 'noroute')
    await tree(folder, { 'A/one.txt': '1', 'A/two.txt': '2', 'B/three.txt': '3' })
    await sandboxPost(setup.sandbox, '/__sandbox/board-routes', { offered: false })
    try {
      const run = await runCli(syncOnce(folder, board, join(setup.dir, 'home-noroute')), setup.env)
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run)).toMatchObject({ uploaded: 3, failed: 0 })
      expect((await boardAssets(setup.sandbox.url, board)).map((a) => a.title).sort()).toEqual([
        'one.txt',
        'three.txt',
        'two.txt',
      ])
      const told = `${run.stdout}\n${run.stderr}`
        .split('\n')
        .filter((l) => /cannot create boards/.test(l))
      expect(told).toHaveLength(1)
    } finally {
      await sandboxPost(setup.sandbox, '/__sandbox/board-routes', { offered: true })
    }
  }, 120_000)
})
