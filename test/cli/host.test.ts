import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, root, runCli, startCli } from './cli-harness.ts'

describe('playbook-sync host (built CLI)', () => {
  let dir: string
  beforeAll(async () => {
    await ensureCliBuilt()
    if (!existsSync(join(root, 'out/renderer/index.html')))
      throw new Error('out/renderer is missing: run `npm run build` before this test')
    dir = await mkdtemp(join(tmpdir(), 'pbs-cli-host-'))
  }, 180_000)
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('serves the desktop UI with a strict CSP on loopback, and stops on SIGTERM', async () => {
    const host = startCli(['host', '--port', '0', '--json', '--home', join(dir, 'home')])
    const first = JSON.parse(await host.waitForLine(/^\{"type":"host"/)) as { url: string }
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    // Only the printed URL gets in: it trades its key for a cookie, then the page loads with it.
    const origin = new URL(first.url).origin
    expect((await fetch(`${origin}/`)).status).toBe(401)
    const exchange = await fetch(first.url, { redirect: 'manual' })
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const page = await fetch(`${origin}/`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await page.text()).toContain('<div id="root">')
    host.kill('SIGTERM')
    expect((await host.done).code).toBe(0)
  })

  it('refuses a bad port (exit 2)', async () => {
    const run = await runCli(['host', '--port', 'x', '--home', join(dir, 'home')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--port')
  })
})
