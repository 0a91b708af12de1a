import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ensureCliBuilt, root, runCli, startCli } from './cli-harness.ts'
import { tempFolders } from '../support/temp-folders.ts'

describe('playbook-sync host (built CLI)', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeAll(async () => {
    await ensureCliBuilt()
    if (!existsSync(join(root, 'out/renderer/index.html')))
      throw new Error('out/renderer is missing: run `npm run build` before this test')
    dir = await tempFolder('pbs-cli-host-')
  }, 180_000)

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

  it('uses a folder typed in the page only after a yes in its terminal', async () => {
    const folder = join(dir, 'Exports')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a.txt'), 'a')
    const host = startCli(
      ['host', '--port', '0', '--json', '--home', join(dir, 'home-confirm')],
      {},
      90_000,
      { stdin: true },
    )
    try {
      const { url } = JSON.parse(await host.waitForLine(/^\{"type":"host"/)) as { url: string }
      const exchange = await fetch(url, { redirect: 'manual' })
      const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const origin = new URL(url).origin
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, {
        origin,
        headers: { cookie },
      })
      const results: { id: number; ok: boolean; value?: unknown; error?: string }[] = []
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; id: number; ok: boolean }
        if (m.type === 'result') results.push(m)
      })
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      const ask = async (id: number, answer: string) => {
        const before = (host.stderr().match(/Allow\?/g) ?? []).length
        ws.send(
          JSON.stringify({
            type: 'invoke',
            id,
            channel: 'dialog:pick-folder',
            payload: { purpose: 'pair', typed: folder },
          }),
        )
        while ((host.stderr().match(/Allow\?/g) ?? []).length === before)
          await new Promise((r) => setTimeout(r, 20))
        expect(host.stderr()).toContain(folder)
        host.type(`${answer}\n`)
        while (!results.some((r) => r.id === id)) await new Promise((r) => setTimeout(r, 20))
        return results.find((r) => r.id === id)
      }
      expect(await ask(1, 'n')).toMatchObject({ ok: true, value: null })
      expect(await ask(2, 'y')).toMatchObject({
        ok: true,
        value: { path: folder, includeHidden: false, handle: expect.any(String) as string },
      })
      ws.close()
    } finally {
      host.kill('SIGTERM')
      await host.done
    }
  })

  it('refuses a bad port (exit 2)', async () => {
    const run = await runCli(['host', '--port', 'x', '--home', join(dir, 'home')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--port')
  })
})
