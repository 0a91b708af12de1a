/**
 * The sandbox's simulated network link: every request pays the round trip, bodies cross at the
 * bandwidth cap, resets still reach the client, and uploads arrive whole. The timing checks are
 * lower bounds the proxy itself guarantees (a slow machine can only make them larger), not
 * speed measurements: those live in `npm run bench`.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { LINK_PROFILES, resolveLinkProfile } from '../../src/sandbox/link-profile.ts'
import { spawnSandbox } from './child.ts'
import { api, bytes, prepare, sha256, startSession } from './helpers.ts'

const open: Sandbox[] = []
afterEach(async () => {
  for (const sb of open.splice(0)) await sb.close()
})

async function sandboxWith(latencyMs: number, bandwidthMbit: number | null): Promise<Sandbox> {
  const sb = await startSandbox({ network: { latencyMs, bandwidthMbit } })
  open.push(sb)
  return sb
}

describe('sandbox network link', () => {
  it('resolves named profiles and refuses nonsense', () => {
    expect(resolveLinkProfile({ profile: 'wan' })).toEqual({ latencyMs: 40, bandwidthMbit: 200 })
    expect(LINK_PROFILES.wan).toEqual({ latencyMs: 40, bandwidthMbit: 200 })
    expect(resolveLinkProfile({ profile: 'wan', latencyMs: 100 })).toEqual({
      latencyMs: 100,
      bandwidthMbit: 200,
    })
    expect(resolveLinkProfile({})).toEqual({ latencyMs: 0, bandwidthMbit: null })
    expect(() => resolveLinkProfile({ profile: 'moon' })).toThrow(/unknown network profile/)
    expect(() => resolveLinkProfile({ latencyMs: -1 })).toThrow(/latency/)
    expect(() => resolveLinkProfile({ bandwidthMbit: 0 })).toThrow(/bandwidth/)
  })

  it('makes every request pay the round trip, also on a kept-alive connection', async () => {
    const sb = await sandboxWith(300, null)
    const t0 = performance.now()
    const first = await api(sb, 'GET', '/v1/organizations')
    const firstMs = performance.now() - t0
    expect(first.status).toBe(200)
    // Handshake (one round trip) + request and answer (another).
    expect(firstMs).toBeGreaterThanOrEqual(2 * 300 - 5)
    const t1 = performance.now()
    const second = await api(sb, 'GET', '/v1/organizations')
    expect(second.status).toBe(200)
    expect(performance.now() - t1).toBeGreaterThanOrEqual(300 - 5)
  })

  it('carries bodies at the bandwidth cap and delivers them whole', async () => {
    // 16 Mbit/s = 2 MB/s: 3 MB cannot arrive in under 1.5 s.
    const sb = await sandboxWith(0, 16)
    const body = bytes(3_000_000, 7)
    const prep = await prepare(sb, 'big.bin', body.length)
    const session = await startSession(prep)
    const t0 = performance.now()
    const put = await fetch(session, { method: 'PUT', body })
    await put.arrayBuffer()
    expect(put.status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1500 - 5)
    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: {
        signed_gcs_id: prep.signed_gcs_id,
        title: 'big.bin',
        media_type: 'application/octet-stream',
        size: body.length,
        collection_token: sb.boards[0]?.token,
      },
    })
    expect(done.status).toBe(200)
    const admin = await api(sb, 'GET', `/__sandbox/assets?board=${sb.boards[0]?.token}`)
    const stored = (admin.body.data as { title: string; sha256: string }[]).find(
      (a) => a.title === 'big.bin',
    )
    expect(stored?.sha256).toBe(sha256(body))
  })

  it('passes a reset from the server through to the client', async () => {
    const sb = await sandboxWith(20, null)
    const faults = await api(sb, 'POST', '/__sandbox/faults', {
      rules: [{ method: 'PUT', path: '/storage', action: 'reset', after_bytes: 1000, times: 1 }],
    })
    expect(faults.status).toBeLessThan(300)
    const session = await startSession(await prepare(sb, 'reset.bin', 500_000))
    const url = new URL(session)
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'PUT' },
        (res) => {
          res.resume()
          res.on('end', () => resolve(`answered ${res.statusCode}`))
        },
      )
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`))
      req.end(bytes(500_000, 3))
    })
    expect(outcome).toMatch(/^error (ECONNRESET|EPIPE)/)
  })

  it('is offered by the command as --network, and refuses an unknown profile', async () => {
    const sb = await spawnSandbox(['--network', 'wan'])
    try {
      const t0 = performance.now()
      const res = await fetch(`${sb.info.url}/v1/organizations`, {
        headers: { Authorization: `Bearer ${sb.info.token}` },
      })
      expect(res.status).toBe(200)
      expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * 40 - 5)
      await expect
        .poll(() => sb.stderr(), { timeout: 5000 })
        .toContain('network 40 ms round trip, 200 Mbit/s')
    } finally {
      sb.child.kill('SIGKILL')
    }
    await expect(spawnSandbox(['--network', 'moon'])).rejects.toThrow(
      /exited \(2\).*unknown network profile/s,
    )
  })
})
