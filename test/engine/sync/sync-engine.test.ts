import { rename, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sha, startSyncWorld } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

describe('sync engine: catch-up scans against the sandbox', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('syncs new files, junk and nested folders to exactly the right assets; a second run uploads nothing', async () => {
    const folder = await world.folder('shoot')
    const expected = new Map<string, string>()
    for (const [relPath, content] of [
      ['cover.jpg', 'cover bytes'],
      ['day1/a.png', 'a bytes'],
      ['day1/raw/b.tif', 'b bytes'],
      ['day2/notes.txt', 'notes'],
    ] as const) {
      expected.set(relPath, await world.write(folder, relPath, content))
    }
    for (const junk of [
      '.DS_Store',
      'day1/Thumbs.db',
      'day1/desktop.ini',
      'day2/render.tmp',
      '~$brief.docx',
      '.git/config',
      'day1/.secret.png',
      'day2/clip.mov.part',
    ]) {
      await world.write(folder, junk, 'junk ' + junk)
    }

    const first = world.rig()
    const pair = await first.engine.addPair({
      folder,
      org: world.org,
      board: world.board,
      boardTitle: 'Shoot',
    })
    await first.engine.scan()
    await first.engine.idle()

    const assets = await world.assets()
    expect(assets.map((asset) => [asset.description, asset.title, asset.sha256]).sort()).toEqual(
      [...expected].map(([relPath, hash]) => [relPath, relPath.split('/').pop(), hash]).sort(),
    )
    const snapshot = first.engine.pair(pair.id)
    expect(snapshot).toMatchObject({
      status: { kind: 'idle' },
      counts: { synced: 4, pending: 0, failed: 0, ignored: 8 },
    })
    expect(snapshot?.lastSyncAt).not.toBeNull()
    const files = first.engine.fileStates(pair.id)
    expect(files.map((file) => [file.relPath, file.state])).toEqual(
      [...expected.keys()].sort().map((relPath) => [relPath, 'synced']),
    )
    expect(new Set(files.map((file) => file.assetToken))).toEqual(
      new Set(assets.map((asset) => asset.token)),
    )
    expect(
      first.events.some((event) => event.type === 'pair' && event.pair.status.kind === 'scanning'),
    ).toBe(true)
    await first.close()

    const second = world.rig()
    await second.engine.start()
    await second.engine.idle()
    expect(await world.assets()).toHaveLength(4)
    expect(second.enqueueCalls).toEqual([])
    expect(second.queue.jobs()).toHaveLength(4)
  })

  it('makes an edited file a new version, re-titles a renamed one, uploads neither again, and deletes nothing', async () => {
    const folder = await world.folder('edits')
    await world.write(folder, 'logo.png', 'logo v1')
    await world.write(folder, 'old-name.jpg', 'photo')
    await world.write(folder, 'gone.txt', 'soon deleted')
    await world.write(folder, 'clip.mp4', 'clip bytes')
    const rig = world.rig()
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.scan()
    await rig.engine.idle()
    const before = await world.assets()
    expect(before).toHaveLength(4)
    const photoToken = before.find((asset) => asset.title === 'old-name.jpg')?.token
    const logoToken = before.find((asset) => asset.title === 'logo.png')?.token

    await writeFile(join(folder, 'logo.png'), 'logo v2, longer')
    await rename(join(folder, 'old-name.jpg'), join(folder, 'new-name.jpg'))
    await world.folder('edits/archive/2024')
    await rename(join(folder, 'clip.mp4'), join(folder, 'archive/2024/clip.mp4'))
    await rm(join(folder, 'gone.txt'))
    await writeFile(join(folder, 'brand-new.png'), 'x')
    await rig.engine.scan()
    await rig.engine.idle()

    const after = await world.assets()
    expect(after.map((asset) => asset.sha256).sort()).toEqual(
      [
        ...before.filter((asset) => asset.token !== logoToken).map((asset) => asset.sha256),
        sha('logo v2, longer'),
        sha('x'),
      ].sort(),
    )
    expect(after.find((asset) => asset.token === logoToken)?.sha256).toBe(sha('logo v2, longer'))
    expect(after.find((asset) => asset.token === photoToken)?.title).toBe('new-name.jpg')
    const states = new Map(rig.engine.fileStates(pair.id).map((file) => [file.relPath, file]))
    expect(states.get('new-name.jpg')).toMatchObject({ state: 'synced', assetToken: photoToken })
    expect(states.get('archive/2024/clip.mp4')?.state).toBe('synced')
    expect(states.has('old-name.jpg')).toBe(false)
    expect(states.get('gone.txt')?.state).toBe('deleted')
    expect(states.has('clip.mp4')).toBe(false)
    expect(states.get('logo.png')).toMatchObject({
      state: 'synced',
      sha256: sha('logo v2, longer'),
      assetToken: logoToken,
    })

    // Touched, same bytes: nothing.
    const jobsBefore = rig.queue.jobs().length
    await utimes(join(folder, 'logo.png'), new Date(), new Date(Date.now() - 60_000))
    await rig.engine.scan()
    await rig.engine.idle()
    expect(rig.queue.jobs()).toHaveLength(jobsBefore)
    expect(await world.assets()).toHaveLength(after.length)
  })

  it('makes two assets of a copy by default, one (saying so) when the pair deduplicates; skips changes when asked', async () => {
    const dedupe = await world.folder('dedupe')
    await world.write(dedupe, 'a/one.jpg', 'same bytes')
    await world.write(dedupe, 'b/two.jpg', 'same bytes')
    const plain = await world.folder('plain')
    await world.write(plain, 'a/one.jpg', 'other same bytes')
    await world.write(plain, 'b/two.jpg', 'other same bytes')
    const rig = world.rig()
    const deduped = await rig.engine.addPair({
      folder: dedupe,
      org: world.org,
      board: world.board,
      settings: { dedupeContent: true },
    })
    const separate = await rig.engine.addPair({
      folder: plain,
      org: world.org,
      board: world.board,
      settings: { onChange: 'skip' },
    })
    await rig.engine.scan()
    await rig.engine.idle()
    const assets = await world.assets()
    expect(assets.filter((asset) => asset.sha256 === sha('same bytes'))).toHaveLength(1)
    expect(assets.filter((asset) => asset.sha256 === sha('other same bytes'))).toHaveLength(2)
    const tokens = new Set(rig.engine.fileStates(deduped.id).map((file) => file.assetToken))
    expect(tokens.size).toBe(1)
    expect(rig.engine.fileStates(deduped.id).map((file) => [file.relPath, file.reason])).toEqual([
      ['a/one.jpg', null],
      ['b/two.jpg', 'Same content as a/one.jpg: shares its asset on the board'],
    ])
    expect(rig.engine.fileStates(separate.id).every((file) => file.reason === null)).toBe(true)

    await writeFile(join(plain, 'a/one.jpg'), 'changed, but skipped')
    await rig.engine.scan(separate.id)
    await rig.engine.idle()
    expect(await world.assets()).toHaveLength(3)
    expect(
      rig.engine.fileStates(separate.id).find((file) => file.relPath === 'a/one.jpg')?.state,
    ).toBe('skipped')
  })

  it('previews a folder and names a missing folder in its error', async () => {
    const folder = await world.folder('preview')
    await world.write(folder, 'a.jpg', '12345')
    await world.write(folder, 'sub/b.jpg', '123')
    await world.write(folder, '.DS_Store', 'x')
    const rig = world.rig()
    await expect(rig.engine.preview(folder)).resolves.toMatchObject({
      files: 2,
      bytes: 8,
      ignored: 1,
    })
    await expect(
      rig.engine.addPair({ folder: join(folder, 'nope'), org: world.org, board: world.board }),
    ).rejects.toThrow(/Folder not found: .*nope/)
    await expect(
      rig.engine.addPair({
        folder,
        org: world.org,
        board: world.board,
        settings: { settleMs: -1 },
      }),
    ).rejects.toThrow(/settleMs/)
  })
  it('a folder inside a paired folder becomes a branch of that pair; one around it is refused, naming both', async () => {
    const outer = await world.folder('studio')
    await world.write(outer, 'client/a.jpg', 'a')
    const rig = world.rig({ watch: false })
    await rig.engine.addPair({
      folder: outer,
      org: world.org,
      board: world.board,
      boardTitle: 'Studio',
    })
    // Same board: the branch is flattened into the pair's board (no second pair, no double upload).
    const mapped = await rig.engine.addPair({
      folder: join(outer, 'client'),
      org: world.org,
      board: world.board,
    })
    expect(mapped.boardMap?.branches.client).toEqual({ kind: 'parent' })
    expect(rig.engine.pairs()).toHaveLength(1)
    const inner = await world.folder('elsewhere/inner')
    await rig.engine.addPair({ folder: inner, org: world.org, board: world.board })
    await expect(
      rig.engine.addPair({ folder: join(inner, '..'), org: world.org, board: world.board }),
    ).rejects.toThrow(/overlaps/)
    expect(rig.engine.pairs()).toHaveLength(2)
  })
})
