import { appendFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SyncEngine } from '../../../src/engine/sync/sync-engine.ts'
import type { WatcherPort } from '../../../src/engine/sync/watcher.ts'
import { sha, startSyncWorld, until } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

const stateOf = (engine: SyncEngine, pairId: string, relPath: string) =>
  engine.fileStates(pairId).find((file) => file.relPath === relPath)

describe('sync engine: live watching against the sandbox', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads a file still being written once, complete, after it settles', async () => {
    const folder = await world.folder('live-grow')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({
      folder,
      org: world.org,
      board: world.board,
      settings: { settleMs: 800 },
    })
    await rig.engine.start()
    await rig.engine.idle()
    expect(rig.engine.pair(pair.id)?.watch).toEqual({ mode: 'native' })

    const path = join(folder, 'render.exr')
    const chunks: Buffer[] = []
    for (let step = 0; step < 30; step++) {
      const chunk = Buffer.alloc(4096, step)
      chunks.push(chunk)
      await appendFile(path, chunk)
      await sleep(100)
    }
    await until(
      () => stateOf(rig.engine, pair.id, 'render.exr')?.state === 'synced',
      'render.exr to sync',
    )
    await rig.engine.idle()
    const assets = await world.assets()
    expect(assets.map((asset) => [asset.title, asset.sha256])).toEqual([
      ['render.exr', sha(Buffer.concat(chunks))],
    ])
  })

  it('turns a temp-file-and-rename save into one new version, and a live rename into a re-title', async () => {
    const folder = await world.folder('live-save')
    await world.write(folder, 'poster.psd', 'poster v1')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    expect(await world.assets()).toHaveLength(1)

    // Photoshop-style: write a junk-named temp file in steps, then rename it over the target.
    await writeFile(join(folder, '~ps4F2A.tmp'), 'poster v2 ')
    await sleep(100)
    await appendFile(join(folder, '~ps4F2A.tmp'), 'with more layers')
    await rename(join(folder, '~ps4F2A.tmp'), join(folder, 'poster.psd'))
    // macOS safe-save style: a temp name that is not junk, renamed into place at once.
    await writeFile(join(folder, 'brief.pdf.sb-2a3f-Xy12'), 'brief bytes')
    await rename(join(folder, 'brief.pdf.sb-2a3f-Xy12'), join(folder, 'brief.pdf'))

    await until(
      () =>
        stateOf(rig.engine, pair.id, 'poster.psd')?.sha256 === sha('poster v2 with more layers') &&
        stateOf(rig.engine, pair.id, 'brief.pdf')?.state === 'synced' &&
        stateOf(rig.engine, pair.id, 'poster.psd')?.state === 'synced',
      'the saves to sync',
    )
    await rig.engine.idle()
    expect((await world.assets()).map((asset) => [asset.title, asset.sha256]).sort()).toEqual(
      [
        ['poster.psd', sha('poster v2 with more layers')],
        ['brief.pdf', sha('brief bytes')],
      ].sort(),
    )

    await rename(join(folder, 'brief.pdf'), join(folder, 'brief-final.pdf'))
    await until(
      () => stateOf(rig.engine, pair.id, 'brief-final.pdf')?.state === 'synced',
      'the rename',
    )
    await rig.engine.idle()
    expect((await world.assets()).map((asset) => asset.title).sort()).toEqual([
      'brief-final.pdf',
      'poster.psd',
    ])
    expect(stateOf(rig.engine, pair.id, 'brief.pdf')).toBeUndefined()
  })

  it('follows a .playbookignore written while watching', async () => {
    const folder = await world.folder('live-ignore')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    await world.write(folder, '.playbookignore', '*.raw\nexports/\n')
    await sleep(300)
    await world.write(folder, 'shot.raw', 'raw bytes')
    await world.write(folder, 'exports/e.png', 'export')
    await world.write(folder, 'keep.png', 'keep')
    await until(() => stateOf(rig.engine, pair.id, 'keep.png')?.state === 'synced', 'keep.png')
    await rig.engine.idle()
    expect((await world.assets()).map((asset) => asset.title)).toEqual(['keep.png'])
  })

  it('batches an event storm into a few enqueue calls', async () => {
    const folder = await world.folder('storm')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    const count = 300
    await Promise.all(
      Array.from({ length: count }, (_, i) => world.write(folder, `drop/f${i}.txt`, `file ${i}`)),
    )
    await until(() => rig.engine.pair(pair.id)?.counts.synced === count, 'the storm to sync', 1200)
    await rig.engine.idle()
    expect(await world.assets()).toHaveLength(count)
    expect(rig.enqueueCalls.reduce((sum, n) => sum + n, 0)).toBe(count)
    expect(rig.enqueueCalls.length).toBeLessThanOrEqual(20)
  })

  it('queues a file again when it changes mid-upload, and uploads only its final bytes', async () => {
    const folder = await world.folder('mid-upload')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    await world.admin('/__sandbox/faults', {
      rules: [{ method: 'PUT', path: '/', action: 'delay', delay_ms: 1500, times: 1 }],
    })
    await world.write(folder, 'cut.mov', Buffer.alloc(1_000_000, 1))
    await until(
      () => rig.queue.jobs().some((job) => job.state.kind === 'uploading'),
      'the upload to start',
    )
    const final = Buffer.alloc(1_200_000, 2)
    await writeFile(join(folder, 'cut.mov'), final)
    await until(() => {
      const file = stateOf(rig.engine, pair.id, 'cut.mov')
      return file?.state === 'synced' && file.sha256 === sha(final)
    }, 'the final version to sync')
    await rig.engine.idle()
    expect((await world.assets()).map((asset) => [asset.title, asset.sha256])).toEqual([
      ['cut.mov', sha(final)],
    ])
    expect(rig.queue.jobs().some((job) => job.state.kind === 'cancelled')).toBe(true)
  })

  it('pauses and resumes a pair', async () => {
    const folder = await world.folder('pausing')
    const rig = world.rig({ watch: true })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    rig.engine.pause(pair.id)
    expect(rig.engine.pair(pair.id)?.status).toEqual({ kind: 'paused' })
    await world.write(folder, 'while-paused.png', 'p')
    await sleep(600)
    await rig.engine.idle()
    expect(await world.assets()).toHaveLength(0)
    rig.engine.resume(pair.id)
    await until(
      () => stateOf(rig.engine, pair.id, 'while-paused.png')?.state === 'synced',
      'the resumed pair',
    )
    expect(await world.assets()).toHaveLength(1)
  })

  it('reports a folder that went missing, rescans, and resumes without re-uploading when it is back', async () => {
    const folder = await world.folder('drive')
    await world.write(folder, 'a.png', 'a')
    const rig = world.rig({ watch: true, rescanIntervalMs: 200 })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await rig.engine.idle()
    expect(await world.assets()).toHaveLength(1)

    await rm(folder, { recursive: true })
    await until(() => rig.engine.pair(pair.id)?.status.kind === 'error', 'the error status')
    const status = rig.engine.pair(pair.id)?.status
    expect(status?.kind === 'error' && status.reason).toContain(folder)

    await world.write(folder, 'a.png', 'a')
    await world.write(folder, 'b.png', 'b')
    await until(
      () => stateOf(rig.engine, pair.id, 'b.png')?.state === 'synced',
      'the folder to come back',
    )
    await rig.engine.idle()
    expect(rig.engine.pair(pair.id)?.status).toEqual({ kind: 'idle' })
    expect(stateOf(rig.engine, pair.id, 'a.png')?.state).toBe('synced')
    expect((await world.assets()).map((asset) => asset.title).sort()).toEqual(['a.png', 'b.png'])
    await until(() => rig.engine.pair(pair.id)?.watch?.mode === 'native', 'watching again')
    await world.write(folder, 'c.png', 'c')
    await until(
      () => stateOf(rig.engine, pair.id, 'c.png')?.state === 'synced',
      'a live change after recovery',
    )
  })

  it('reports a watcher limit with a fix hint and falls back to periodic rescans', async () => {
    // The inotify limit cannot be exhausted safely on a shared machine, so this one watcher is a
    // stand-in that fails the way chokidar does; the queue, sandbox and folder are real.
    const failing: WatcherPort = (_folder, _options, handlers) => {
      setTimeout(
        () =>
          handlers.onError(
            Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), {
              code: 'ENOSPC',
            }),
          ),
        20,
      )
      return { close: async () => {} }
    }
    const folder = await world.folder('limits')
    const rig = world.rig({ watch: true, watcher: failing, rescanIntervalMs: 200 })
    const pair = await rig.engine.addPair({ folder, org: world.org, board: world.board })
    await rig.engine.start()
    await until(() => rig.engine.pair(pair.id)?.watch?.mode === 'rescan', 'the fallback')
    const watch = rig.engine.pair(pair.id)?.watch
    expect(watch?.reason).toContain('file-watch limit')
    expect(watch?.hint).toContain('max_user_watches')
    expect(rig.events.some((event) => event.type === 'notice' && event.level === 'warning')).toBe(
      true,
    )
    await world.write(folder, 'later.png', 'picked up by a rescan')
    await until(
      () => stateOf(rig.engine, pair.id, 'later.png')?.state === 'synced',
      'the rescan to find later.png',
    )
    expect((await world.assets()).map((asset) => asset.title)).toEqual(['later.png'])
  })
})
