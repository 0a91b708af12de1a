import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { offlineRigs } from './support/offline-rig.ts'
import { tempFolders } from '../../support/temp-folders.ts'

// Rescans of a tree whose files have landed. A rescan compares the folder with the index's facts
// read up front and skips landed files whose size, mtime and inode did not change; these tests
// check that everything else is still found. The queue is real but never started: the files are
// marked landed in the index the way the engine records a finished upload (no upload can run
// without a server here, and what is tested is the scan, not the upload).
describe('sync engine: rescans of landed files', () => {
  const tempFolder = tempFolders()
  let root: string
  let folder: string
  const rigs = offlineRigs(() => root)
  beforeEach(async () => {
    root = await tempFolder('pbs-landed-')
    folder = join(root, 'tree')
    for (const dir of ['a', 'b', 'c', 'moved']) await mkdir(join(folder, dir), { recursive: true })
  })
  afterEach(async () => {
    await rigs.closeAll()
  })

  const open = () => rigs.open()

  const pathOf = (i: number): string => `${'abc'[i % 3]}/f${i}.txt`

  it('finds renames, deletions, edits and new files among 2,500 landed files, and queues only those', async () => {
    const count = 2500
    for (let i = 0; i < count; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)
    const first = open()
    const pair = await first.engine.addPair({ folder, org: 'studio', board: 'B1' })
    await first.engine.scan(pair.id)
    // Every file landed (as the engine records a finished upload), one was cancelled.
    const rows = first.store.liveFiles(pair.id)
    expect(rows).toHaveLength(count)
    for (const [i, row] of rows.entries()) {
      const cancelled = row.relPath === pathOf(2400)
      first.store.setJobResult(
        row.jobId as string,
        cancelled
          ? { state: 'cancelled', assetToken: null, reason: 'Upload cancelled' }
          : { state: 'synced', assetToken: `asset-${i}`, reason: null },
        Date.now(),
      )
    }
    const assetOf = new Map(first.store.liveFiles(pair.id).map((r) => [r.relPath, r.assetToken]))
    await first.engine.stop()

    // While closed: 300 renamed into another folder, 200 deleted, 10 edited, 5 added.
    for (let i = 0; i < 300; i++)
      await rename(join(folder, pathOf(i)), join(folder, `moved/m${i}.txt`))
    for (let i = 300; i < 500; i++) await rm(join(folder, pathOf(i)))
    for (let i = 500; i < 510; i++) await writeFile(join(folder, pathOf(i)), `edited ${i}!`)
    for (let i = 0; i < 5; i++) await writeFile(join(folder, `c/new${i}.txt`), `new ${i}`)

    const second = open()
    await second.engine.scan(pair.id)
    const after = new Map(second.engine.fileStates(pair.id).map((file) => [file.relPath, file]))
    for (let i = 0; i < 300; i++) {
      expect(after.has(pathOf(i)), pathOf(i)).toBe(false)
      const moved = second.store.file(pair.id, `moved/m${i}.txt`)
      expect(moved?.state).toBe('synced')
      expect(moved?.assetToken).toBe(assetOf.get(pathOf(i)))
    }
    for (let i = 300; i < 500; i++) expect(after.get(pathOf(i))?.state).toBe('deleted')
    for (let i = 500; i < 510; i++) expect(after.get(pathOf(i))?.state).toBe('pending')
    for (let i = 510; i < count; i++) {
      const row = second.store.file(pair.id, pathOf(i))
      expect(row?.assetToken).toBe(assetOf.get(pathOf(i)))
    }
    expect(after.get(pathOf(2400))?.state).toBe('cancelled')
    // Only the edited and the new files are queued; landed, unchanged files are left alone.
    expect(second.enqueued.sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, k) => pathOf(500 + k)),
        ...Array.from({ length: 5 }, (_, k) => `c/new${k}.txt`),
      ].sort(),
    )
    expect(second.engine.pair(pair.id)?.counts).toMatchObject({
      synced: count - 200 - 10 - 1,
      pending: 15,
    })
  })

  it('still looks again at files that have not landed: a pending file whose job was lost is queued again', async () => {
    for (let i = 0; i < 1200; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)
    const first = open()
    const pair = await first.engine.addPair({ folder, org: 'studio', board: 'B1' })
    await first.engine.scan(pair.id)
    for (const row of first.store.liveFiles(pair.id)) {
      if (row.relPath === pathOf(7)) continue
      first.store.setJobResult(
        row.jobId as string,
        { state: 'synced', assetToken: 'a', reason: null },
        1,
      )
    }
    // The queue lost f7's job (the index still says pending with its job id).
    const lost = first.store.file(pair.id, pathOf(7))
    first.store.putFile({ ...lost!, jobId: 'job-the-queue-never-had' })
    await first.engine.stop()

    const second = open()
    await second.engine.scan(pair.id)
    expect(second.enqueued).toEqual([pathOf(7)])
    const row = second.store.file(pair.id, pathOf(7))
    expect(row?.state).toBe('pending')
    expect(row?.jobId).not.toBe('job-the-queue-never-had')
    expect(second.queue.job(row?.jobId as string)?.state.kind).toBe('queued')
  })
})
