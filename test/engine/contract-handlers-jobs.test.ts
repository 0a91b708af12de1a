import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createContractHandlers } from '../../src/engine/contract-handlers.ts'
import type { HandlerPlatform } from '../../src/engine/contract-handlers.ts'
import { useSignedInEngine } from './support/signed-in-engine.ts'
import { until } from './support/waiting.ts'

// A dropped image's preview is made once per job: the headless host asks for it when the upload
// ends and then deletes its staged copy, while the activity row may be asking at the same time.
// Two makings at once left the one still reading the deleted copy to fail, and its empty answer
// replaced the preview (the row kept its icon). Real engine, sandbox and image files.

describe('jobs:thumbnail', () => {
  const world = useSignedInEngine('pbs-thumbnails-')

  it('asks made at once share one preview, kept after the file is gone', async () => {
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
})
