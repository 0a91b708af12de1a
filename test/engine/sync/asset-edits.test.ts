/**
 * The edits queue on its own, against the real sandbox: renames Playbook refuses are told once per
 * reason even when they arrive in separate runs (a folder move is detected a file at a time), and
 * told without anyone waiting for the edits to settle.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRouteMissingMemory } from '../../../src/engine/playbook/assumed/route-missing.ts'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createAssetEdits } from '../../../src/engine/sync/asset-edits.ts'
import type { AssetEdit, AssetEdits } from '../../../src/engine/sync/asset-edits.ts'
import { startSyncWorld, until } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

describe('asset edits: refused renames are told once', () => {
  let world: SyncWorld
  let edits: AssetEdits | undefined
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await edits?.stop()
    await world.close()
  })

  /** Three files on the board, then every asset update refused (403); the edits queue and what it told. */
  const setUp = async (): Promise<{ renames: AssetEdit[]; told: string[] }> => {
    await world.synced('edits', { 'one.png': 'one', 'two.png': 'two', 'three.png': 'three' })
    const assets = await world.assets()
    await world.admin('/__sandbox/faults', {
      rules: [{ method: 'PUT', path: '/v1/*/assets/*', action: 'status', status: 403, times: 0 }],
    })
    const told: string[] = []
    edits = createAssetEdits({
      db: openDatabase(':memory:'),
      client: createPlaybookClient({
        baseUrl: world.sandbox.url,
        getToken: () => world.sandbox.token,
      }),
      log: { info() {}, warn() {}, error() {} },
      now: Date.now,
      routes: createRouteMissingMemory(),
      onFailed: (message) => told.push(message),
    })
    const renames = ['one.png', 'two.png', 'three.png'].map((name) => {
      const asset = assets.find((a) => a.title === name)
      if (!asset) throw new Error(`${name} is not on the board`)
      return {
        assetToken: asset.token,
        pairId: 'p',
        org: world.org,
        relPath: `renamed-${name}`,
        title: `renamed-${name}`,
        description: null,
        board: world.board,
      }
    })
    return { renames, told }
  }

  it('two refused renames in two runs are one message, told when the edits settle', async () => {
    const { renames, told } = await setUp()
    const [one, two] = renames as [AssetEdit, AssetEdit]
    const queue = edits as AssetEdits
    queue.request(one)
    await until(() => queue.get(one.assetToken)?.state === 'failed', 'the first rename to fail')
    await sleep(50)
    // The first run is over; the second rename comes in a run of its own.
    queue.request(two)
    await queue.settled()
    expect(told).toEqual([
      "Could not rename or move renamed-one.png, renamed-two.png on Playbook: your account isn't allowed to change these assets. Their assets keep the earlier title and board. Rename or move them once more to retry.",
    ])
  })

  it('a refused rename is told a moment after its run ends, with nobody waiting', async () => {
    const { renames, told } = await setUp()
    const three = renames[2] as AssetEdit
    const queue = edits as AssetEdits
    queue.request(three)
    await until(() => told.length > 0, 'the failure to be told')
    expect(told).toEqual([
      "Could not rename or move renamed-three.png on Playbook: your account isn't allowed to change these assets. Its asset keeps the earlier title and board. Rename or move the file once more to retry.",
    ])
  })
})
