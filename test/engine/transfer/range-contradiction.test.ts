/**
 * A storage answer that contradicts the file (a 308 whose Range reaches past the file's size, or
 * past what was sent) is the server's error: retried, never blamed on the file. The sandbox is
 * real (HTTP); the transport rewrites the Range header of chosen answers, as a broken proxy or
 * storage front end would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const chunkSize = 256 * 1024

describe('a Range that contradicts the upload', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  for (const where of ['beyond the size', 'beyond what was sent'] as const) {
    it(`retries a 308 with a Range ${where}, and the file lands once with its bytes`, async () => {
      const f = await world.file('ranged.bin', 3 * chunkSize + 100)
      const client = world.client()
      let bent = 0
      const http: Http = {
        async send(req) {
          const res = await client.http.send(req)
          const isChunk = /^bytes \d/.test(req.headers?.['content-range'] ?? '')
          if (isChunk && res.status === 308 && bent < 2) {
            bent++
            const last = where === 'beyond the size' ? f.size + 5000 : 2 * chunkSize + 10
            return { ...res, headers: { ...res.headers, range: `bytes=0-${last}` } }
          }
          return res
        },
        close: () => client.http.close(),
      }
      const { queue } = world.queue({ http, chunkSize })
      queue.start()
      const [id] = queue.enqueue([world.request(f, 'ranged.bin')])
      await queue.drained()
      expect(bent).toBe(2)
      const job = queue.job(id ?? '')
      expect(job?.state.kind, JSON.stringify(job?.state)).toBe('done')
      const assets = await world.assets()
      expect(assets.map((a) => a.sha256)).toEqual([f.sha256])
    })
  }
})
