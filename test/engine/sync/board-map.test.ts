/**
 * The board map through the whole engine (createEngine), against the sandbox over real HTTP, on
 * real folders: the preview shows the tree with new boards marked; a branch mapped to an existing
 * board lands there; a skipped branch uploads nothing and comes back when the skip is lifted; a
 * folder inside a synced folder becomes a branch of it; a renamed folder renames its board.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../../src/engine/app.ts'
import { createFileSecretStore, tokenFile } from '../../../src/engine/account/file-secret-store.ts'
import type { Engine, EngineEvent } from '../../../src/engine/engine-types.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { treeMapping } from '../../../src/shared/pair-models.ts'
import { quiet } from '../support/waiting.ts'
import { tempFolders } from '../../support/temp-folders.ts'

interface ListedBoard {
  readonly id: number
  readonly token: string
  readonly title: string
  readonly parent_id: number | null
}

describe('board map (engine over the sandbox)', () => {
  const tempFolder = tempFolders()
  let sandbox: Sandbox
  let dir: string
  let n = 0
  const api = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const res = await fetch(`${sandbox.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${sandbox.token}`,
        'content-type': 'application/json',
      },
    })
    return ((await res.json()) as { data: unknown }).data
  }
  const newBoard = async (title: string, parentId?: number): Promise<ListedBoard> =>
    (await api(`/v1/${sandbox.org}/boards`, {
      method: 'POST',
      body: JSON.stringify({ board: { title, ...(parentId ? { parent_id: parentId } : {}) } }),
    })) as ListedBoard
  const boards = async (): Promise<ListedBoard[]> =>
    (await api(`/v1/${sandbox.org}/boards?depth=all&per_page=100`)) as ListedBoard[]
  const titlesOn = async (board: string): Promise<string[]> => {
    const res = await fetch(`${sandbox.url}/__sandbox/assets?board=${board}`)
    return ((await res.json()) as { data: { title: string }[] }).data.map((a) => a.title).sort()
  }
  const open = async (): Promise<{ engine: Engine; events: EngineEvent[] }> => {
    const home = join(dir, `home-${n++}`)
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    const events: EngineEvent[] = []
    engine.subscribe((e) => events.push(e))
    await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
    return { engine, events }
  }
  const files = async (root: string, list: readonly string[]): Promise<void> => {
    for (const rel of list) {
      const path = join(root, ...rel.split('/'))
      await mkdir(join(path, '..'), { recursive: true })
      await writeFile(path, `content of ${rel}`)
    }
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    dir = await tempFolder('pbs-boardmap-')
  })
  afterAll(async () => {
    await sandbox?.close()
  })

  it('previews the board tree (new boards marked, an existing child reused), then a branch mapped to an existing board lands there and a skipped branch uploads nothing', async () => {
    const top = await newBoard('Studio')
    await newBoard('Print', top.id) // already there: reused, not new
    const picked = await newBoard('Picked elsewhere')
    const folder = join(dir, 'studio')
    await files(folder, ['top.txt', 'Print/p.txt', 'Moodboard/m.txt', 'Refs/r.txt', 'Drafts/d.txt'])
    const { engine } = await open()
    try {
      const preview = await engine.previewFolder(folder, undefined, top.token)
      const lands = Object.fromEntries((preview.tree ?? []).map((b) => [b.path, b.lands]))
      expect(lands['']).toMatchObject({ kind: 'existing', board: top.token })
      expect(lands.Print).toMatchObject({ kind: 'existing', title: 'Print' })
      expect(lands.Moodboard).toEqual({ kind: 'new', title: 'Moodboard' })

      const mapping = {
        ...treeMapping,
        branches: {
          Refs: { kind: 'board' as const, board: picked.token, boardTitle: picked.title },
          Drafts: { kind: 'skip' as const },
        },
      }
      const remapped = await engine.previewFolder(folder, undefined, top.token, mapping)
      const after = Object.fromEntries((remapped.tree ?? []).map((b) => [b.path, b.lands]))
      expect(after.Refs).toMatchObject({ kind: 'existing', board: picked.token })
      expect(after.Drafts).toEqual({ kind: 'skip' })

      const pair = await engine.addPair({ folder, board: top.token, mapping })
      await engine.idle()
      expect(await titlesOn(picked.token)).toEqual(['r.txt'])
      expect(await titlesOn(top.token)).toEqual(['top.txt'])
      const all = await boards()
      const children = all
        .filter((b) => b.parent_id === top.id)
        .map((b) => b.title)
        .sort()
      expect(children).toEqual(['Moodboard', 'Print']) // no "Refs", no "Drafts", one "Print"
      const assets = (await fetch(`${sandbox.url}/__sandbox/assets`).then((r) => r.json())) as {
        data: { title: string }[]
      }
      expect(assets.data.some((a) => a.title === 'd.txt')).toBe(false)
      // The skipped file is counted as skipped on purpose (seen, not silent).
      expect(engine.pairs()[0]?.tally).toMatchObject({ skipped: 1, attention: 0, waiting: 0 })

      // Lifting the skip: the branch's files come back and land on a new child board.
      await engine.mapPair(pair.id, { ...mapping, branches: { Refs: mapping.branches.Refs } })
      await engine.syncNow(pair.id)
      await engine.idle()
      const drafts = (await boards()).find((b) => b.parent_id === top.id && b.title === 'Drafts')
      expect(drafts).toBeDefined()
      expect(await titlesOn(drafts?.token ?? '')).toEqual(['d.txt'])
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('a folder inside a synced folder becomes a branch of that pair, not a second pair', async () => {
    const top = await newBoard('Exports')
    const other = await newBoard('Moodboard board')
    const folder = join(dir, 'exports')
    await files(folder, ['e.txt', 'Moodboard/m.txt'])
    const { engine, events } = await open()
    try {
      await engine.addPair({ folder, board: top.token })
      const inner = await engine.addPair({
        folder: join(folder, 'Moodboard'),
        board: other.token,
        boardTitle: other.title,
      })
      expect(engine.pairs()).toHaveLength(1)
      expect(inner.boardMap?.branches.Moodboard).toMatchObject({ board: other.token })
      expect(
        events.some((e) => e.type === 'notice' && /inside .* already synced/.test(e.message)),
      ).toBe(true)
      await engine.idle()
      expect(await titlesOn(other.token)).toEqual(['m.txt'])
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('renaming a folder renames its board (files stay on it, nothing uploaded again)', async () => {
    const top = await newBoard('Renames')
    const folder = join(dir, 'renames')
    await files(folder, ['Old name/x.txt'])
    const { engine } = await open()
    try {
      await engine.addPair({ folder, board: top.token })
      await engine.idle()
      const before = (await boards()).filter((b) => b.parent_id === top.id)
      expect(before.map((b) => b.title)).toEqual(['Old name'])
      await rename(join(folder, 'Old name'), join(folder, 'New name'))
      await engine.syncNow()
      await engine.idle()
      const after = (await boards()).filter((b) => b.parent_id === top.id)
      expect(after.map((b) => [b.token, b.title])).toEqual([[before[0]?.token, 'New name']])
      expect(await titlesOn(before[0]?.token ?? '')).toEqual(['x.txt'])
    } finally {
      await engine.close()
    }
  }, 60_000)
})
