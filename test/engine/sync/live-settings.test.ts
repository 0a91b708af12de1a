import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSyncWorld, until } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

// Settings changed on a live pair apply at its next scan (issue 16, part 4): a file the new
// patterns leave out is set aside with the reason and its waiting upload never lands; a file
// they take again is queued; pausing one pair leaves the others running; bad values are refused.

describe('per-pair and shared settings on live pairs', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('applies a changed ignore pattern at the next scan: skipped with the reason, then queued again', async () => {
    const folder = await world.folder('shoot')
    for (const name of ['cover.jpg', 'layers-a.psd', 'layers-b.psd', 'notes.txt'])
      await world.write(folder, name, `bytes of ${name}`)
    const rig = world.rig()
    // Held in the queue, so the files are still waiting when the pattern changes.
    rig.queue.pause()
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await until(
      () => rig.engine.fileStates(pair.id).filter((f) => f.state === 'pending').length === 4,
      'four files waiting',
    )

    await rig.engine.updatePair(pair.id, { settings: { ignorePatterns: ['*.psd'] } })
    await until(
      () => rig.engine.fileStates(pair.id).filter((f) => f.state === 'skipped').length === 2,
      'the two .psd files set aside',
    )
    const skipped = rig.engine.fileStates(pair.id).filter((f) => f.state === 'skipped')
    expect(skipped.map((f) => f.relPath)).toEqual(['layers-a.psd', 'layers-b.psd'])
    for (const file of skipped) expect(file.reason).toMatch(/Ignored by the pattern "\*\.psd"/)
    expect(rig.engine.pair(pair.id)?.tally.skipped).toBe(2)

    rig.queue.resume()
    await rig.engine.idle()
    expect((await world.assets()).map((a) => a.title).sort()).toEqual(['cover.jpg', 'notes.txt'])

    // The pattern goes: the files it held back are queued and land.
    await rig.engine.updatePair(pair.id, { settings: { ignorePatterns: [] } })
    await until(
      () => rig.engine.fileStates(pair.id).every((f) => f.state === 'synced'),
      'every file on the board',
    )
    await rig.engine.idle()
    expect((await world.assets()).map((a) => a.title).sort()).toEqual([
      'cover.jpg',
      'layers-a.psd',
      'layers-b.psd',
      'notes.txt',
    ])
  })

  it('applies the patterns every pair shares to running pairs, naming where they come from', async () => {
    const folder = await world.folder('shared')
    await world.write(folder, 'keep.txt', 'keep')
    await world.write(folder, 'draft.tmpl', 'draft')
    const rig = world.rig()
    rig.queue.pause()
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await until(
      () => rig.engine.fileStates(pair.id).filter((f) => f.state === 'pending').length === 2,
      'two files waiting',
    )
    await rig.engine.setSharedIgnore(['*.tmpl'])
    await until(
      () => rig.engine.fileStates(pair.id).some((f) => f.state === 'skipped'),
      'the shared pattern applied',
    )
    const draft = rig.engine.fileStates(pair.id).find((f) => f.relPath === 'draft.tmpl')
    expect(draft?.reason).toMatch(/"\*\.tmpl" in Settings \(every folder\)/)
    // The pair's own settings are untouched: the shared patterns are a layer on top.
    expect(rig.engine.pair(pair.id)?.settings.ignorePatterns).toEqual([])
    rig.queue.resume()
    await rig.engine.idle()
    expect((await world.assets()).map((a) => a.title)).toEqual(['keep.txt'])
  })

  it('pauses one pair only: the other keeps uploading', async () => {
    const one = await world.folder('one')
    const two = await world.folder('two')
    const rig = world.rig()
    const first = await rig.engine.addPair({ folder: one, org: world.org, board: world.board })
    const second = await rig.engine.addPair({ folder: two, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    rig.engine.pause(first.id)
    await world.write(one, 'held.txt', 'held back')
    await world.write(two, 'goes.txt', 'goes up')
    await rig.engine.scan()
    await rig.engine.idle(second.id)
    expect((await world.assets()).map((a) => a.title)).toEqual(['goes.txt'])
    expect(rig.engine.pair(first.id)?.status.kind).toBe('paused')
    expect(rig.engine.pair(second.id)?.status.kind).not.toBe('paused')

    rig.engine.resume(first.id)
    await until(
      () => rig.engine.fileStates(first.id).some((f) => f.state === 'synced'),
      'the resumed pair uploading',
    )
    await rig.engine.idle()
    expect((await world.assets()).map((a) => a.title).sort()).toEqual(['goes.txt', 'held.txt'])
  })

  it('refuses bad values in words and keeps the settings it had', async () => {
    const folder = await world.folder('refuse')
    const rig = world.rig()
    const pair = await rig.engine.addPair({
      folder,
      org: world.org,
      board: world.board,
      settings: { ignorePatterns: ['*.psd'] },
    })
    await expect(
      rig.engine.updatePair(pair.id, { settings: { ignorePatterns: ['renders/[ab'] } }),
    ).rejects.toThrow('The ignore pattern "renders/[ab" has a "[" without a closing "]"')
    await expect(rig.engine.setSharedIgnore(['# a comment'])).rejects.toThrow(/comment/)
    await expect(rig.engine.updatePair(pair.id, { settings: { settleMs: -5 } })).rejects.toThrow(
      /settleMs/,
    )
    expect(rig.engine.pair(pair.id)?.settings.ignorePatterns).toEqual(['*.psd'])

    expect(() => rig.queue.setLimits({ concurrency: 17 })).toThrow(
      'Files at once must be a whole number from 1 to 16 (got 17)',
    )
    expect(() => rig.queue.setLimits({ concurrency: 0 })).toThrow(/from 1 to 16/)
    expect(() => rig.queue.setLimits({ bwlimit: -1 })).toThrow(
      /bandwidth cap must be 0 \(no cap\) or a positive number/,
    )
    expect(() => rig.queue.setLimits({ concurrency: 16, bwlimit: 0 })).not.toThrow()
  })

  it('starts with shared patterns an older version stored, leaving out an unusable one with a warning', async () => {
    const folder = await world.folder('older')
    await world.write(folder, 'keep.txt', 'keep')
    await world.write(folder, 'draft.tmpl', 'draft')
    const rig = world.rig({ sharedIgnorePatterns: ['# an old comment line', '*.tmpl'] })
    await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    expect((await world.assets()).map((a) => a.title)).toEqual(['keep.txt'])
    expect(rig.warnings).toContain('ignore pattern not used')
  })
})
