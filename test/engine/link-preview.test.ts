import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContractHandlers } from '../../src/engine/contract-handlers.ts'
import type { HandlerPlatform } from '../../src/engine/contract-handlers.ts'
import { useSignedInEngine } from './support/signed-in-engine.ts'
import { until } from './support/waiting.ts'

// A dropped image link shows its picture: the engine fetches the asset's display_url (the board's
// picture, from the API) under the Playbook URL policy and hands the renderer a small data: URL.
// A link whose display_url points anywhere else (here: a link asset, whose picture address is the
// dropped URL on another local server) is never fetched by the engine, and the row shows an icon.

describe('link drops show the image', () => {
  const world = useSignedInEngine('pbs-link-preview-')
  let images: ReturnType<typeof createServer>
  let imagesUrl: string
  const requests: string[] = []

  beforeAll(async () => {
    const png = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } },
    })
      .png()
      .toBuffer()
    images = createServer((req, res) => {
      requests.push(`${req.headers['user-agent'] ?? ''} ${req.url ?? ''}`)
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
      res.end(png)
    })
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve))
    imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => images?.close(resolve))
  })

  it("shows the board's picture of an ingested image link, as a data: URL", async () => {
    const { engine, board } = world
    const handlers = createContractHandlers(engine, {} as HandlerPlatform)
    const [id] = await engine.uploadUrls([`${imagesUrl}/moodboard.png`], board)
    if (!id) throw new Error('no job')
    // Asked before its asset exists: nothing yet, and nothing kept, so the ask once done finds it.
    expect(await handlers['jobs:thumbnail']({ id })).toBeNull()
    await until(
      () => engine.jobs().find((j) => j.id === id),
      (j) => j?.state.kind === 'done',
      'the ingest to finish',
    )
    const preview = await handlers['jobs:thumbnail']({ id })
    expect(preview).toMatch(/^data:image\/webp;base64,/)
    const bytes = Buffer.from((preview ?? '').split(',')[1] ?? '', 'base64')
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 96, height: 96 })
  })

  it('never fetches a picture address outside what the app already talks to', async () => {
    const { engine, board } = world
    const handlers = createContractHandlers(engine, {} as HandlerPlatform)
    const before = requests.length
    const [id] = await engine.uploadUrls([`${imagesUrl}/linked.png`], board, { asLink: true })
    if (!id) throw new Error('no job')
    await until(
      () => engine.jobs().find((j) => j.id === id),
      (j) => j?.state.kind === 'done',
      'the link asset',
    )
    expect(await handlers['jobs:thumbnail']({ id })).toBeNull()
    // Nobody fetched the linked address: not the sandbox (a link is not ingested), not the engine.
    expect(requests.slice(before)).toEqual([])
  })
})
