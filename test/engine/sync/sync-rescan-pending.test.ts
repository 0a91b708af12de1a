import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { offlineRigs } from './support/offline-rig.ts'
import { tempFolders } from '../../support/temp-folders.ts'

// A rescan of files that have not landed. Files whose job is still queued are known to need
// nothing (the index read gives each file's job state in the same pass, no question per file);
// these tests check that files whose job settled or vanished while nobody listened are still
// taken care of, exactly as a full look at their jobs would.
describe('sync engine: rescans of pending files', () => {
  const tempFolder = tempFolders()
  let root: string
  let folder: string
  const rigs = offlineRigs(() => root)
  beforeEach(async () => {
    root = await tempFolder('pbs-pending-')
    folder = join(root, 'tree')
    for (const dir of ['a', 'b']) await mkdir(join(folder, dir), { recursive: true })
  })
  afterEach(async () => {
    await rigs.closeAll()
  })

  const pathOf = (i: number): string => `${'ab'[i % 2]}/f${i}.txt`

  it('queues nothing for pending files with a live job, and takes results the queue reached alone', async () => {
    const count = 600
    for (let i = 0; i < count; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)
    const first = rigs.open()
    const pair = await first.engine.addPair({ folder, org: 'studio', board: 'B1' })
    await first.engine.scan(pair.id)
    expect(first.enqueued).toHaveLength(count)
    const jobOf = (i: number): string => first.store.file(pair.id, pathOf(i))?.jobId as string
    const { store: jobs } = first.queue
    // While nobody listened: one job failed, one landed, one was cancelled, one is under way,
    // and the queue lost one.
    jobs.transition(jobOf(1), 'failed', { failReason: 'refused by the server' })
    for (const to of ['preparing', 'uploading', 'completing'] as const)
      jobs.transition(jobOf(2), to)
    jobs.transition(jobOf(2), 'done', { assetToken: 'asset-2' })
    jobs.transition(jobOf(3), 'cancelled')
    jobs.transition(jobOf(4), 'preparing')
    jobs.transition(jobOf(4), 'uploading')
    const lost = first.store.file(pair.id, pathOf(5))
    first.store.putFile({ ...lost!, jobId: 'job-the-queue-never-had' })
    const failedJob = jobOf(1)
    await first.close()

    const second = rigs.open()
    await second.engine.scan(pair.id)
    // Only the failed file (its job revived) and the lost one are asked for again.
    expect([...second.enqueued].sort()).toEqual([pathOf(1), pathOf(5)].sort())
    expect(second.queue.job(failedJob)?.state.kind).toBe('queued')
    expect(second.store.file(pair.id, pathOf(1))).toMatchObject({
      state: 'pending',
      jobId: failedJob,
    })
    expect(second.store.file(pair.id, pathOf(2))).toMatchObject({
      state: 'synced',
      assetToken: 'asset-2',
    })
    expect(second.store.file(pair.id, pathOf(3))?.state).toBe('cancelled')
    expect(second.store.file(pair.id, pathOf(4))?.state).toBe('pending')
    const relisted = second.store.file(pair.id, pathOf(5))
    expect(relisted?.jobId).not.toBe('job-the-queue-never-had')
    expect(second.queue.job(relisted?.jobId as string)?.state.kind).toBe('queued')
    expect(second.queue.totals().queued).toBe(count - 3)
  })

  it('looks again at a pending file whose facts changed even when its job is live', async () => {
    for (let i = 0; i < 10; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)
    const first = rigs.open()
    const pair = await first.engine.addPair({ folder, org: 'studio', board: 'B1' })
    await first.engine.scan(pair.id)
    const before = first.store.file(pair.id, pathOf(0))?.jobId
    await first.close()
    await writeFile(join(folder, pathOf(0)), 'other bytes, other size')
    const second = rigs.open()
    await second.engine.scan(pair.id)
    expect(second.enqueued).toEqual([pathOf(0)])
    const row = second.store.file(pair.id, pathOf(0))
    expect(row?.jobId).not.toBe(before)
    expect(second.queue.job(row?.jobId as string)?.state.kind).toBe('queued')
  })
})
