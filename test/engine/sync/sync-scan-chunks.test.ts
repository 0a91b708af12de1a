import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { offlineRigs } from './support/offline-rig.ts'
import { tempFolders } from '../../support/temp-folders.ts'

// Scans of trees larger than one scan chunk (250 files), processed while the folder is walked.
// The queue is real but never started (nothing is uploaded; its HTTP client is never called), so
// the index and the queued jobs show exactly what the scans decided.
describe('sync engine: scans of trees larger than one chunk', () => {
  const tempFolder = tempFolders()
  let root: string
  let folder: string
  const rigs = offlineRigs(() => root)
  beforeEach(async () => {
    root = await tempFolder('pbs-chunks-')
    folder = join(root, 'tree')
    for (const dir of ['a', 'b', 'c', 'moved']) await mkdir(join(folder, dir), { recursive: true })
  })
  afterEach(async () => {
    await rigs.closeAll()
  })

  const open = () => rigs.open({ batchSize: 150 })

  const pathOf = (i: number): string => `${'abc'[i % 3]}/f${i}.txt`

  it('indexes every file once, then finds renames, deletions, edits and new files after a restart', async () => {
    const count = 2300
    for (let i = 0; i < count; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)

    const first = open()
    const pair = await first.engine.addPair({ folder, org: 'studio', board: 'B1' })
    await first.engine.scan(pair.id)
    const indexed = first.engine.fileStates(pair.id)
    expect(indexed).toHaveLength(count)
    expect(indexed.every((file) => file.state === 'pending' && file.jobId !== null)).toBe(true)
    expect(new Set(indexed.map((file) => file.jobId)).size).toBe(count)
    expect(first.queue.totals().queued).toBe(count)
    expect(first.calls.reduce((sum, n) => sum + n, 0)).toBe(count)
    expect(Math.max(...first.calls)).toBeLessThanOrEqual(150)
    expect(first.engine.pair(pair.id)?.counts).toMatchObject({ pending: count, ignored: 0 })
    const jobOf = new Map(indexed.map((file) => [file.relPath, file.jobId]))

    // While closed: 400 renamed into another folder, 300 deleted, 10 edited, 5 added.
    for (let i = 0; i < 400; i++)
      await rename(join(folder, pathOf(i)), join(folder, `moved/m${i}.txt`))
    for (let i = 400; i < 700; i++) await rm(join(folder, pathOf(i)))
    for (let i = 700; i < 710; i++) await writeFile(join(folder, pathOf(i)), `edited ${i}!`)
    for (let i = 0; i < 5; i++) await writeFile(join(folder, `c/new${i}.txt`), `new ${i}`)
    await first.engine.stop()

    const second = open()
    await second.engine.scan(pair.id)
    const after = new Map(second.engine.fileStates(pair.id).map((file) => [file.relPath, file]))
    for (let i = 0; i < 400; i++) {
      expect(after.has(pathOf(i)), pathOf(i)).toBe(false)
      expect(after.get(`moved/m${i}.txt`)?.jobId).toBe(jobOf.get(pathOf(i)))
    }
    for (let i = 400; i < 700; i++) expect(after.get(pathOf(i))?.state).toBe('deleted')
    for (let i = 700; i < 710; i++) {
      expect(after.get(pathOf(i))?.jobId).not.toBe(jobOf.get(pathOf(i)))
    }
    for (let i = 710; i < count; i++) expect(after.get(pathOf(i))?.jobId).toBe(jobOf.get(pathOf(i)))
    expect(second.calls.reduce((sum, n) => sum + n, 0)).toBe(15)
    expect(second.queue.totals().queued).toBe(count + 15)
    expect(second.engine.pair(pair.id)?.counts.pending).toBe(count - 300 + 5)
  })

  it('stops a scan when the pair is paused and finishes it after resuming, without an error', async () => {
    for (let i = 0; i < 3000; i++) await writeFile(join(folder, pathOf(i)), `file ${i}`)
    const { engine } = open()
    const pair = await engine.addPair({ folder, org: 'studio', board: 'B1' })
    const notices: string[] = []
    engine.subscribe((event) => {
      if (event.type === 'notice') notices.push(event.message)
    })
    const scanning = engine.scan(pair.id)
    await new Promise((resolve) => setTimeout(resolve, 5))
    engine.pause(pair.id)
    await scanning
    expect(engine.pair(pair.id)?.status).toEqual({ kind: 'paused' })
    expect(notices).toEqual([])
    engine.resume(pair.id)
    await engine.scan(pair.id)
    expect(engine.pair(pair.id)?.status.kind).not.toBe('error')
    const files = engine.fileStates(pair.id)
    expect(files).toHaveLength(3000)
    expect(files.every((file) => file.state === 'pending')).toBe(true)
  })
})
