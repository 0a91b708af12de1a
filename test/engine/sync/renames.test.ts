/**
 * A rename re-titles the asset and a move between folders that map to different boards moves it:
 * nothing is uploaded again. Real sandbox over HTTP, real folders, the real queue and sync engine.
 */
import { mkdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { editFailedNotice, editNotices } from '../../../src/engine/sync/asset-edits.ts'
import { startSyncWorld, until } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

interface AdminAsset {
  readonly token: string
  readonly title: string
  readonly description: string
  readonly collection_token: string
}

describe('sync: renames and moves edit the asset instead of uploading', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  const allAssets = async (): Promise<readonly AdminAsset[]> => {
    const res = await fetch(`${world.sandbox.url}/__sandbox/assets`)
    return ((await res.json()) as { data: AdminAsset[] }).data
  }
  const stats = async (): Promise<{ api_requests: number; duplicates: number }> =>
    (await (await fetch(`${world.sandbox.url}/__sandbox/stats`)).json()) as {
      api_requests: number
      duplicates: number
    }

  it('a rename re-titles the asset (and its path description); nothing is uploaded', async () => {
    const { folder, rig, pair } = await world.synced('shoot', { 'day1/IMG_001.jpg': 'photo bytes' })
    const [before] = await allAssets()
    expect(before?.title).toBe('IMG_001.jpg')

    await rename(join(folder, 'day1', 'IMG_001.jpg'), join(folder, 'day1', 'hero.jpg'))
    await rig.engine.scan()
    await rig.engine.idle()

    const after = await allAssets()
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({
      token: before?.token,
      title: 'hero.jpg',
      description: 'day1/hero.jpg',
      collection_token: world.board,
    })
    expect(rig.queue.jobs()).toHaveLength(1)
    expect(rig.engine.fileStates(pair.id).filter((f) => f.state !== 'deleted')).toMatchObject([
      { relPath: 'day1/hero.jpg', state: 'synced', assetToken: before?.token },
    ])
    expect((await stats()).duplicates).toBe(0)
  })

  it('a move to a folder that maps to another board moves the asset there', async () => {
    const other = world.sandbox.boards[1]?.token
    expect(other).toBeDefined()
    const folder = await world.folder('brand')
    await world.write(folder, 'drafts/logo.svg', '<svg/>')
    const rig = world.rig()
    // Everything on the pair's board but the folder "final", which the user sent to another board.
    const mapping = {
      subfolders: 'parent',
      branches: { final: { kind: 'board', board: other as string } },
    } as const
    await rig.engine.addPair({ folder, org: world.org, board: world.board, mapping })
    await rig.engine.scan()
    await rig.engine.idle()
    const [before] = await allAssets()
    expect(before?.collection_token).toBe(world.board)

    await mkdir(join(folder, 'final'))
    await rename(join(folder, 'drafts', 'logo.svg'), join(folder, 'final', 'logo.svg'))
    await rig.engine.scan()
    await rig.engine.idle()

    const after = await allAssets()
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({
      token: before?.token,
      title: 'logo.svg',
      description: 'final/logo.svg',
      collection_token: other,
    })
    expect(rig.queue.jobs()).toHaveLength(1)
  })

  it('a move within one board only updates what changed; a lost answer is settled by a read', async () => {
    const { folder, rig } = await world.synced('flat', { 'a/x.png': 'x bytes' })
    await world.admin('/__sandbox/faults', {
      rules: [{ method: 'PUT', path: '/v1/*/assets/*', action: 'lose-response' }],
    })
    await mkdir(join(folder, 'b'))
    await rename(join(folder, 'a', 'x.png'), join(folder, 'b', 'x.png'))
    await rig.engine.scan()
    await rig.engine.idle()
    // The lost answer makes the edit back off; the next try reads the asset, finds the edit
    // done and sends nothing more: one PUT in all.
    await until(
      async () => (await allAssets())[0]?.description === 'b/x.png',
      'the re-described asset',
    )
    const requests = async (): Promise<Record<string, number>> =>
      (
        (await (await fetch(`${world.sandbox.url}/__sandbox/stats`)).json()) as {
          requests: Record<string, number>
        }
      ).requests
    await until(async () => {
      const counts = await requests()
      return (counts['GET /v1/:org/assets/:token'] ?? 0) >= 2
    }, 'the read after the lost answer')
    await rig.engine.idle()
    expect((await requests())['PUT /v1/:org/assets/:token']).toBe(1)
    expect(await allAssets()).toMatchObject([
      { title: 'x.png', description: 'b/x.png', collection_token: world.board },
    ])
  })

  it('renames Playbook refuses are said once, naming the files and what to do; nothing is uploaded', async () => {
    const { folder, rig } = await world.synced('refused', { 'one.png': 'one', 'two.png': 'two' })
    await world.admin('/__sandbox/faults', {
      rules: [{ method: 'PUT', path: '/v1/*/assets/*', action: 'status', status: 403, times: 0 }],
    })
    await rename(join(folder, 'one.png'), join(folder, 'uno.png'))
    await rename(join(folder, 'two.png'), join(folder, 'dos.png'))
    await rig.engine.scan()
    await rig.engine.idle()
    expect((await allAssets()).map((a) => a.title).sort()).toEqual(['one.png', 'two.png'])
    expect(rig.queue.jobs()).toHaveLength(2)
    const said = rig.events.flatMap((e) => (e.type === 'notice' ? [e.message] : []))
    const refused = said.filter((m) => m.startsWith('Could not rename or move'))
    expect(refused).toHaveLength(1)
    expect(refused[0]).toMatch(
      /^Could not rename or move (uno\.png, dos\.png|dos\.png, uno\.png) on Playbook: your account isn't allowed to change these assets\. Their assets keep the earlier title and board\. Rename or move them once more to retry\.$/,
    )
  })

  it('the words for renames that could not be carried say whether the assets changed', () => {
    expect(editFailedNotice(['a.png'], 422)).toBe(
      'Could not rename or move a.png on Playbook: Playbook refused the change. Its asset keeps the earlier title and board. Rename or move the file once more to retry.',
    )
    expect(editFailedNotice(['a.png', 'b.png', 'c.png', 'd.png', 'e.png'], 503)).toBe(
      'Could not rename or move a.png, b.png, c.png and 2 more on Playbook: Playbook did not confirm the change after several tries. Their assets may still have the earlier title and board. Rename or move them once more to retry.',
    )
  })

  it('without the update route a rename keeps the old title, says so once, and uploads nothing', async () => {
    const notices: string[] = []
    const { folder, rig } = await world.synced('legacy', { 'one.png': 'one', 'two.png': 'two' })
    rig.routes.onTold((notice) => notices.push(notice.message))
    await world.admin('/__sandbox/assumed-routes', { missing: ['update'] })
    await rename(join(folder, 'one.png'), join(folder, 'uno.png'))
    await rename(join(folder, 'two.png'), join(folder, 'dos.png'))
    await rig.engine.scan()
    await rig.engine.idle()
    const after = await allAssets()
    expect(after.map((a) => a.title).sort()).toEqual(['one.png', 'two.png'])
    expect(rig.queue.jobs()).toHaveLength(2)
    expect(notices).toEqual([editNotices.update])
  })
})
