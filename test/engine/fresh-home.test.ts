/**
 * State lost is not a reason to upload again: a new home recognises files the board already
 * holds (same name and size, documented fields only), counts them in the add-folder preview, and
 * uploads them only when asked to (force / uploadExisting).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/engine/app.ts'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import type { Engine } from '../../src/engine/engine-types.ts'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { tempFolders } from '../support/temp-folders.ts'
import { quiet } from './support/waiting.ts'

describe('a fresh home onto a board that already holds the files', () => {
  const tempFolder = tempFolders()
  let sandbox: Sandbox
  let dir: string
  let folder: string
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    dir = await tempFolder('pbs-fresh-')
    folder = join(dir, 'work')
    await mkdir(join(folder, 'sub'), { recursive: true })
    for (let i = 0; i < 5; i++)
      await writeFile(join(folder, `f${i}.txt`), `file ${i}`.repeat(i + 1))
    await writeFile(join(folder, 'sub', 'deep.txt'), 'deep file')
  })
  afterAll(async () => {
    await sandbox?.close()
  })

  async function engineAt(home: string): Promise<Engine> {
    const engine = await createEngine({ home, secrets: createMemorySecretStore(), log: quiet })
    await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
    return engine
  }

  async function titles(board: string): Promise<string[]> {
    const res = await fetch(`${sandbox.url}/__sandbox/assets?board=${board}`)
    return ((await res.json()) as { data: { title: string }[] }).data.map((a) => a.title).sort()
  }

  it('upload from two fresh homes: each file once; the second names them already on the board', async () => {
    const board = sandbox.boards[0]?.token ?? ''
    const first = await engineAt(join(dir, 'home-1'))
    await first.uploadPaths([folder], board)
    await first.idle()
    await first.close()
    expect((await titles(board)).length).toBe(6)

    const second = await engineAt(join(dir, 'home-2'))
    const ids = await second.uploadPaths([folder], board)
    await second.idle()
    const jobs = second.jobs().filter((j) => ids.includes(j.id))
    expect(jobs.map((j) => j.state.kind)).toEqual(Array(6).fill('done'))
    expect(jobs.every((j) => /already on the board/i.test(j.note ?? ''))).toBe(true)
    await second.close()
    expect((await titles(board)).length).toBe(6)

    const forced = await engineAt(join(dir, 'home-3'))
    await forced.uploadPaths([join(folder, 'f0.txt')], board, { force: true })
    await forced.idle()
    await forced.close()
    expect((await titles(board)).filter((t) => t === 'f0.txt').length).toBe(2)
  })

  it('sync from a fresh home records files already there; the preview counts them', async () => {
    const board = sandbox.boards[1]?.token ?? ''
    const one = await engineAt(join(dir, 'sync-1'))
    expect(await one.previewFolder(folder, undefined, board)).toMatchObject({
      files: 6,
      alreadyOnBoard: 0,
    })
    await one.addPair({ folder, board })
    await one.idle()
    await one.close()
    // sub/ went to a child board of its own (sub-folders are boards).
    expect((await titles(board)).length).toBe(5)

    await writeFile(join(folder, 'new.txt'), 'only here')
    const two = await engineAt(join(dir, 'sync-2'))
    expect(await two.previewFolder(folder, undefined, board)).toMatchObject({
      files: 7,
      alreadyOnBoard: 6,
    })
    const pair = await two.addPair({ folder, board })
    await two.idle()
    const after = two.pairs().find((p) => p.id === pair.id)
    expect(after?.counts.synced).toBe(7)
    await two.close()
    expect(await titles(board)).toEqual(
      ['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'new.txt'].sort(),
    )
    const sub = (after?.folderBoards ?? []).find((f) => f.folder === 'sub')
    expect(await titles(sub?.board ?? '')).toEqual(['deep.txt'])
  })
})
