import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createContractHandlers } from '../../src/engine/contract-handlers.ts'
import type { HandlerPlatform } from '../../src/engine/contract-handlers.ts'
import { parseRequest } from '../../src/shared/contract.ts'
import { useSignedInEngine } from './support/signed-in-engine.ts'
import { until } from './support/waiting.ts'

// A dropped image's preview is made once per job: the headless host asks for it when the upload
// ends and then deletes its staged copy, while the activity row may be asking at the same time.
// Two makings at once left the one still reading the deleted copy to fail, and its empty answer
// replaced the preview (the row kept its icon). Real engine, sandbox and image files.

describe('the jobs handlers', () => {
  const world = useSignedInEngine('pbs-thumbnails-')

  it('thumbnail: asks made at once share one preview, kept after the file is gone', async () => {
    const { engine, dir, board } = world
    const file = join(dir, 'hero.png')
    await sharp({
      create: { width: 300, height: 200, channels: 3, background: { r: 240, g: 160, b: 112 } },
    })
      .png()
      .toFile(file)
    const handlers = createContractHandlers(engine, {} as HandlerPlatform)
    const [id] = await engine.uploadPaths([file], board)
    if (!id) throw new Error('no job')

    // The row and the host ask at once: one making, one answer for both.
    const fromRow = handlers['jobs:thumbnail']({ id })
    const fromHost = handlers['jobs:thumbnail']({ id })
    expect(fromHost).toBe(fromRow)
    const preview = await fromRow
    expect(preview).toMatch(/^data:image\/webp;base64,/)
    const bytes = Buffer.from((preview ?? '').split(',')[1] ?? '', 'base64')
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 96, height: 96 })

    // The staged copy goes once the upload is over; the preview stays.
    await until(
      () => engine.jobs().find((j) => j.id === id),
      (j) => j?.state.kind === 'done',
      'the upload to finish',
    )
    await rm(file)
    expect(await handlers['jobs:thumbnail']({ id })).toBe(preview)
  })

  // A start-up's first screen asks for the newest jobs only (the renderer asks for the rest once
  // that is painted); every other ask gets every job.
  it('snapshot: the newest jobs, newest first, or every job', async () => {
    const { engine, dir, board } = world
    const handlers = createContractHandlers(engine, {} as HandlerPlatform)
    engine.pause()
    const paths = ['one', 'two', 'three'].map((name) => join(dir, `${name}.txt`))
    for (const path of paths) await writeFile(path, `${path}\n`)
    const ids = await engine.uploadPaths(paths, board)

    const page = await handlers['jobs:snapshot'](parseRequest('jobs:snapshot', { newest: 2 }))
    expect(page.jobs.map((job) => job.id)).toEqual([ids[2], ids[1]])
    expect(page.totals.queued).toBe(3)
    const all = await handlers['jobs:snapshot'](parseRequest('jobs:snapshot', {}))
    expect(all.jobs.map((job) => job.id)).toEqual(engine.jobs().map((job) => job.id))
    expect(all.jobs.map((job) => job.id).slice(-3)).toEqual(ids)
    expect(() => parseRequest('jobs:snapshot', { newest: 0 })).toThrow(/jobs:snapshot/)
    engine.resume()
  })
})
