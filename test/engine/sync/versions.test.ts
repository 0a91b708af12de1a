/**
 * A save is a new version: real sandbox over HTTP, real folders, the real queue and sync engine.
 */
import { utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { versionNotes } from '../../../src/engine/transfer/version-completion.ts'
import { sha, startSyncWorld, until } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

interface VersionedAsset {
  readonly token: string
  readonly title: string
  readonly group: string | null
  readonly sha256: string | null
  readonly versions?: readonly { number: number; sha256: string | null }[]
}

describe('sync: a changed file becomes a new version of its asset', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  const versioned = async (): Promise<readonly VersionedAsset[]> =>
    (await world.assets()) as unknown as readonly VersionedAsset[]

  /** Puts one fault on Playbook's versions route, in place of any before it. */
  const versionsFault = (fault: Record<string, unknown>) =>
    world.admin('/__sandbox/faults', {
      rules: [{ method: 'POST', path: '/v1/*/assets/*/versions', ...fault }],
    })

  /** Writes new bytes and moves mtime on, so the scan sees a change even within one second. */
  const save = async (folder: string, relPath: string, content: string, n: number) => {
    await world.write(folder, relPath, content)
    const when = new Date(Date.now() + n * 10_000)
    await utimes(join(folder, relPath), when, when)
  }

  it('three saves of one file give one asset with four versions; the job says which version', async () => {
    const { folder, rig, pair } = await world.synced('drafts', { 'poster.png': 'poster v1' })
    const [first] = await versioned()
    expect(first?.title).toBe('poster.png')

    for (const n of [2, 3, 4]) {
      await save(folder, 'poster.png', `poster v${n}`, n)
      await rig.engine.scan()
      await rig.engine.idle()
    }

    const assets = await versioned()
    expect(assets).toHaveLength(1)
    const asset = assets[0] as VersionedAsset
    expect(asset.token).toBe(first?.token)
    expect(asset.sha256).toBe(sha('poster v4'))
    expect(asset.versions?.map((v) => [v.number, v.sha256])).toEqual([
      [1, sha('poster v1')],
      [2, sha('poster v2')],
      [3, sha('poster v3')],
      [4, sha('poster v4')],
    ])
    const jobs = rig.queue.jobs({ pairId: pair.id })
    expect(jobs.map((job) => job.version).sort()).toEqual([2, 3, 4, undefined])
    expect(jobs.every((job) => job.state.kind === 'done')).toBe(true)
    expect(rig.engine.fileStates(pair.id)).toMatchObject([
      { relPath: 'poster.png', state: 'synced', assetToken: first?.token },
    ])
    const stats = (await (await fetch(`${world.sandbox.url}/__sandbox/stats`)).json()) as {
      duplicates: number
    }
    expect(stats.duplicates).toBe(0)
  })

  it('with "new asset" chosen a save makes a second asset; with "leave" nothing is uploaded', async () => {
    const folderA = await world.folder('a')
    const folderB = await world.folder('b')
    await world.write(folderA, 'one.txt', 'one v1')
    await world.write(folderB, 'two.txt', 'two v1')
    const rig = world.rig()
    await rig.engine.addPair({
      folder: folderA,
      org: world.org,
      board: world.board,
      settings: { onChange: 'new-asset' },
    })
    const leave = await rig.engine.addPair({
      folder: folderB,
      org: world.org,
      board: world.board,
      settings: { onChange: 'skip' },
    })
    await rig.engine.scan()
    await rig.engine.idle()
    await save(folderA, 'one.txt', 'one v2', 2)
    await save(folderB, 'two.txt', 'two v2', 2)
    await rig.engine.scan()
    await rig.engine.idle()
    const assets = await versioned()
    expect(assets.map((a) => [a.title, a.sha256]).sort()).toEqual(
      [
        ['one.txt', sha('one v1')],
        ['one.txt', sha('one v2')],
        ['two.txt', sha('two v1')],
      ].sort(),
    )
    expect(assets.every((a) => a.versions === undefined)).toBe(true)
    expect(rig.engine.fileStates(leave.id)).toMatchObject([
      { relPath: 'two.txt', state: 'skipped' },
    ])
  })

  it('a save that goes back to earlier bytes is still a new version (A → B → A → B)', async () => {
    const { folder, rig } = await world.synced('cycle', { 'logo.svg': 'A' })
    let n = 2
    for (const content of ['B', 'A', 'B']) {
      await save(folder, 'logo.svg', content, n++)
      await rig.engine.scan()
      await rig.engine.idle()
    }
    const [asset] = await versioned()
    expect(asset?.versions?.map((v) => v.sha256)).toEqual([sha('A'), sha('B'), sha('A'), sha('B')])
    expect(asset?.sha256).toBe(sha('B'))
  })

  it('a version whose answer was lost is found by reading the versions, not added twice', async () => {
    const { folder, rig } = await world.synced('lost', { 'cover.jpg': 'cover v1' })
    await versionsFault({ action: 'lose-response' })
    await save(folder, 'cover.jpg', 'cover v2', 2)
    await rig.engine.scan()
    await rig.engine.idle()
    const [asset] = await versioned()
    expect(asset?.versions?.map((v) => [v.number, v.sha256])).toEqual([
      [1, sha('cover v1')],
      [2, sha('cover v2')],
    ])
    const jobs = rig.queue.jobs()
    expect(jobs.find((job) => job.version !== undefined)).toMatchObject({
      version: 2,
      state: { kind: 'done', assetToken: asset?.token },
    })
    const stats = (await (await fetch(`${world.sandbox.url}/__sandbox/stats`)).json()) as {
      duplicates: number
    }
    expect(stats.duplicates).toBe(0)
  })

  it('a later save waits for the earlier one to land: the newest version is the newest bytes', async () => {
    const { folder, rig, pair } = await world.synced('order', { 'hero.png': 'hero v1' })
    // The second save's version request is slow to reach Playbook (8 s: room for the third save
    // to be scanned and uploaded on a busy machine); the third is ready to be added first.
    await versionsFault({ action: 'delay', delay_ms: 8_000 })
    await save(folder, 'hero.png', 'hero v2', 2)
    await rig.engine.scan()
    await until(
      () => rig.queue.jobs({ pairId: pair.id }).some((job) => job.state.kind === 'completing'),
      'the second save to be adding its version',
    )
    await save(folder, 'hero.png', 'hero v3', 3)
    await rig.engine.scan()
    await until(
      () =>
        rig.queue
          .jobs({ pairId: pair.id })
          .some((job) => job.note === versionNotes.earlierSave && job.state.kind === 'completing'),
      'the third save to wait for the second, saying so',
    )
    await rig.engine.idle()
    const [asset] = await versioned()
    expect(asset?.versions?.map((v) => [v.number, v.sha256])).toEqual([
      [1, sha('hero v1')],
      [2, sha('hero v2')],
      [3, sha('hero v3')],
    ])
    expect(asset?.sha256).toBe(sha('hero v3'))
    expect(rig.queue.jobs({ pairId: pair.id }).every((job) => job.note === undefined)).toBe(true)
  })

  it("a save back to a failed save's bytes lands after the save made in between (A fails, B, A)", async () => {
    const { folder, rig, pair } = await world.synced('revive', { 'badge.png': 'badge v1' })
    // Save A: Playbook refuses its version, so its job fails (uploaded, not added).
    await versionsFault({ action: 'status', status: 403 })
    await save(folder, 'badge.png', 'A', 2)
    await rig.engine.scan()
    await rig.engine.idle()
    const failed = rig.queue.jobs({ pairId: pair.id }).find((job) => job.state.kind === 'failed')
    expect(failed?.versionOf).toBeDefined()
    // Save B, whose version request is slow to reach Playbook.
    await versionsFault({ action: 'delay', delay_ms: 8_000 })
    await save(folder, 'badge.png', 'B', 3)
    await rig.engine.scan()
    await until(
      () =>
        rig.queue
          .jobs({ pairId: pair.id })
          .some((job) => job.state.kind === 'completing' && job.id !== failed?.id),
      'save B to be adding its version',
    )
    // B superseded A's failed job. Back to A's bytes: a new job, asked for after B, lands after it.
    expect(rig.queue.job(failed?.id ?? '')?.state.kind).toBe('cancelled')
    await save(folder, 'badge.png', 'A', 4)
    await rig.engine.scan()
    await rig.engine.idle()
    const [asset] = await versioned()
    expect(asset?.versions?.map((v) => [v.number, v.sha256])).toEqual([
      [1, sha('badge v1')],
      [2, sha('B')],
      [3, sha('A')],
    ])
    expect(asset?.sha256).toBe(sha('A'))
  })

  it('a version made while the app stopped unanswered is found after the restart, not added twice', async () => {
    const folder = await world.folder('restart')
    await world.write(folder, 'deck.pdf', 'deck v1')
    const first = world.rig()
    const pair = await first.engine.addPair({ folder, org: world.org, board: world.board })
    await first.engine.scan()
    await first.engine.idle()
    // Playbook makes the version, then holds its answer back: the app stops meanwhile.
    await versionsFault({ action: 'hold', hold_ms: 60_000 })
    await save(folder, 'deck.pdf', 'deck v2', 2)
    void first.engine.scan()
    await until(
      async () => ((await versioned())[0]?.versions?.length ?? 0) === 2,
      'the version to be made',
    )
    await first.close()

    const second = world.rig()
    await second.engine.start()
    await second.engine.idle()
    await until(
      () => second.engine.fileStates(pair.id)[0]?.state === 'synced',
      'the file to be synced',
    )
    const [asset] = await versioned()
    expect(asset?.versions?.map((v) => v.sha256)).toEqual([sha('deck v1'), sha('deck v2')])
    expect(second.queue.jobs().find((job) => job.version !== undefined)?.version).toBe(2)
    const stats = (await (await fetch(`${world.sandbox.url}/__sandbox/stats`)).json()) as {
      duplicates: number
      requests: Record<string, number>
    }
    expect(stats.duplicates).toBe(0)
    expect(stats.requests['POST /v1/:org/assets/:token/versions']).toBe(1)
  })

  it('without a versions route a save becomes a new asset grouped with the old one, told once', async () => {
    const notices: string[] = []
    const { folder, rig, pair } = await world.synced('fallback', {
      'a.png': 'a v1',
      'b.png': 'b v1',
    })
    rig.routes.onTold((notice) => notices.push(notice.route))
    const before = await versioned()
    await world.admin('/__sandbox/assumed-routes', { missing: ['versions'] })
    await save(folder, 'a.png', 'a v2', 2)
    await save(folder, 'b.png', 'b v2', 2)
    await rig.engine.scan()
    await rig.engine.idle()
    const after = await versioned()
    expect(after).toHaveLength(4)
    for (const name of ['a.png', 'b.png']) {
      const old = before.find((a) => a.title === name) as VersionedAsset
      const fresh = after.find((a) => a.title === name && a.token !== old.token)
      expect(fresh?.sha256).toBe(sha(name === 'a.png' ? 'a v2' : 'b v2'))
      expect(fresh?.group).toBe(old.token)
    }
    const changed = rig.queue.jobs().filter((job) => job.note !== undefined)
    expect(changed.map((job) => job.note)).toEqual([
      versionNotes.noVersions,
      versionNotes.noVersions,
    ])
    expect(changed.every((job) => job.version === undefined)).toBe(true)
    // The files now stand for the new assets: a further save versions nothing that is missing.
    const states = rig.engine.fileStates(pair.id)
    expect(states.every((file) => file.state === 'synced')).toBe(true)
    expect(notices).toEqual(['versions'])
  })

  it('without versions or grouping a save becomes a new asset with a note', async () => {
    const { folder, rig } = await world.synced('fallback2', { 'c.png': 'c v1' })
    await world.admin('/__sandbox/assumed-routes', { missing: ['versions', 'group'] })
    await save(folder, 'c.png', 'c v2', 2)
    await rig.engine.scan()
    await rig.engine.idle()
    const after = await versioned()
    expect(after.map((a) => [a.sha256, a.group])).toEqual([
      [sha('c v1'), null],
      [sha('c v2'), null],
    ])
    expect(
      rig.queue
        .jobs()
        .map((job) => job.note)
        .filter(Boolean),
    ).toEqual([versionNotes.noVersionsNoGroup])
  })
})
