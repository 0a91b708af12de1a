/**
 * Server answers nobody on the team wrote: a board listing with odd records (a size as text, a
 * title as a number, a record with no token) must not fail uploads to that board. A transport in
 * front of the sandbox adds such records to every listing of the board's assets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { createHttp } from '../../../src/engine/playbook/http.ts'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const ODD = [
  { token: 'odd-1', title: 12345, size: 'n/a', media_type: ['image/png'], created_at: {} },
  { token: 'odd-2', title: 'listed.bin', size: '9', is_link: 'false' },
  { id: 7, title: 'no token' },
]

describe('odd records in a board listing', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads to the board anyway, each file once', async () => {
    const inner = createHttp()
    let listings = 0
    const http: Http = {
      async send(req) {
        const res = await inner.send(req)
        if (req.method !== 'GET' || !/\/boards\/[^/]+\/assets/.test(new URL(req.url).pathname))
          return res
        listings++
        const body = JSON.parse(res.text) as { data: unknown[] }
        return { ...res, text: JSON.stringify({ ...body, data: [...body.data, ...ODD] }) }
      },
      close: () => inner.close(),
    }
    const client = createPlaybookClient({
      baseUrl: world.sandbox.url,
      getToken: () => world.token,
      http,
    })
    try {
      const files = await Promise.all([world.file('a.bin', 2000), world.file('listed.bin', 10)])
      const { queue } = world.queue({ client })
      queue.enqueue([world.request(files[0], 'a.bin'), world.request(files[1], 'listed.bin')])
      queue.start()
      await queue.drained()
      expect(listings).toBeGreaterThan(0)
      expect(queue.totals()).toMatchObject({ done: 2, failed: 0 })
      // `listed.bin` is 10 bytes; the odd record of that title says 9: not the same file.
      const got = await landed(world, [
        { title: 'a.bin', sha256: files[0].sha256 },
        { title: 'listed.bin', sha256: files[1].sha256 },
      ])
      expect(got.filter((g) => g.count !== 1 || !g.sameBytes)).toEqual([])
    } finally {
      await client.close()
    }
  })
})
