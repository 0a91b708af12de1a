/**
 * The API's path prefix: seed 002 and Playbook's SDK call `/v1/…`, seed 003 `/api/v1/…`. Against
 * a server that answers only seed 003's paths (a wrapper in front of the sandbox, which answers
 * both), the client finds `/api/v1` on its first call and uploads through it; against one that
 * answers `/v1`, a 404 for a missing asset is tried under `/api` only until the prefix is known.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import { createHttp } from '../../../src/engine/playbook/http.ts'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { landed, startWorld } from '../transfer/sandbox-helpers.ts'
import type { World } from '../transfer/sandbox-helpers.ts'

/** A transport in front of the sandbox that answers 404 for API paths under `refused`. */
function serverWithout(refused: '/v1/' | '/api/v1/'): { http: Http; paths: string[] } {
  const inner = createHttp()
  const paths: string[] = []
  const http: Http = {
    async send(req) {
      const path = new URL(req.url).pathname
      paths.push(`${req.method} ${path}`)
      if (path.startsWith(refused))
        return { status: 404, headers: {}, text: '{"error":"Not Found"}' }
      return inner.send(req)
    },
    close: () => inner.close(),
  }
  return { http, paths }
}

describe('the API path prefix', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('finds /api/v1 on a server that answers only seed 003 paths, and uploads through it', async () => {
    const { http, paths } = serverWithout('/v1/')
    const client = createPlaybookClient({
      baseUrl: world.sandbox.url,
      getToken: () => world.token,
      http,
    })
    try {
      const orgs = await client.organizations()
      expect(orgs.map((o) => o.slug)).toContain(world.sandbox.org)
      const f = await world.file('prefixed.bin', 300 * 1024)
      const { queue } = world.queue({ client })
      queue.enqueue([world.request(f, 'prefixed.bin')])
      queue.start()
      await queue.drained()
      expect(await landed(world, [{ title: 'prefixed.bin', sha256: f.sha256 }])).toEqual([
        { title: 'prefixed.bin', count: 1, sameBytes: true },
      ])
      const api = paths.filter((p) => / \/(api\/)?v1\//.test(p))
      // Only the very first call was tried under /v1.
      expect(api.filter((p) => / \/v1\//.test(p))).toEqual(['GET /v1/organizations'])
      expect(api.length).toBeGreaterThan(3)
    } finally {
      await client.close()
    }
  })

  it('tries /api/v1 for a 404 only until a /v1 call has answered', async () => {
    const { http, paths } = serverWithout('/api/v1/')
    const client = createPlaybookClient({
      baseUrl: world.sandbox.url,
      getToken: () => world.token,
      http,
    })
    try {
      const org = world.sandbox.org
      await expect(client.asset(org, 'no-such-asset')).rejects.toMatchObject({ status: 404 })
      expect(paths).toEqual([
        `GET /v1/${org}/assets/no-such-asset`,
        `GET /api/v1/${org}/assets/no-such-asset`,
      ])
      await client.organizations()
      paths.length = 0
      await expect(client.asset(org, 'no-such-asset')).rejects.toMatchObject({ status: 404 })
      expect(paths).toEqual([`GET /v1/${org}/assets/no-such-asset`])
    } finally {
      await client.close()
    }
  })
})
