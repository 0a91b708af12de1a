import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'

// DNS rebinding: a page on attacker.test that re-resolves to 127.0.0.1 sends its own Host.

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
})
afterAll(async () => {
  await sandbox?.close()
})

function get(path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(sandbox.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('sandbox Host check', () => {
  it('answers only its own names, so a rebinding page cannot read the mailbox or files', async () => {
    const port = new URL(sandbox.url).port
    const rebinding = await get('/__sandbox/mailbox', `attacker.test:${port}`)
    expect(rebinding.status).toBe(421)
    expect(rebinding.body).not.toContain('data')
    expect((await get('/v1/organizations', `attacker.test:${port}`)).status).toBe(421)
    expect((await get('/__sandbox/mailbox', `127.0.0.1:${port}`)).status).toBe(200)
    expect((await get('/__sandbox/mailbox', `localhost:${port}`)).status).toBe(200)
  })
})
