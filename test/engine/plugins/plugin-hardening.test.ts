/**
 * The plugin host under hostile invocations, over real HTTP: a stand-in Playbook on loopback (the
 * configured API, like the sandbox) records callbacks and serves files; an "internal service" on
 * another loopback port must never be reached. No mocks.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPluginHost, type PluginHost } from '../../../src/engine/plugins/plugin-host.ts'
import { createUrlPolicy, isPrivateAddress } from '../../../src/engine/plugins/url-policy.ts'

const secret = 'hardening-secret-0123456789'
let playbook: Server
let playbookUrl: string
let internal: Server
let internalUrl: string
let internalHits = 0
let png: Buffer
const statuses: { status: string; message?: string }[] = []
const dirs: string[] = []
const hosts: PluginHost[] = []

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function body(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return text
}

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#123456' } })
    .png()
    .toBuffer()
  playbook = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/image.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
        return res.end(png)
      }
      if (req.method === 'GET' && req.url?.startsWith('/files/')) {
        const size = Number(req.url.split('/').pop())
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        // No content-length: the cap must hold while streaming, not only on what is announced.
        const chunk = Buffer.alloc(64 * 1024, 7)
        for (let sent = 0; sent < size; sent += chunk.length) {
          if (!res.write(chunk.subarray(0, Math.min(chunk.length, size - sent))))
            await new Promise((r) => res.once('drain', r))
        }
        return res.end()
      }
      if (req.method === 'POST' && req.url === '/callback') {
        const parsed = JSON.parse(await body(req)) as {
          status?: string
          message?: string
          operation?: string
          pluginInvocationToken?: string
        }
        if (parsed.operation === 'createAssets') {
          // A hostile (or compromised) callback hands out an upload URL inside the network.
          res.writeHead(201, { 'content-type': 'application/json' })
          return res.end(
            JSON.stringify({
              pluginInvocationToken: parsed.pluginInvocationToken,
              operation: 'createAssets',
              assets: [{ token: 'placeholder', uploadUrl: `${internalUrl}/put-here` }],
            }),
          )
        }
        if (parsed.status) statuses.push({ status: parsed.status, message: parsed.message })
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end('{}')
      }
      res.writeHead(404).end()
    })()
  })
  playbookUrl = await listen(playbook)
  internal = createServer((req, res) => {
    internalHits++
    res.writeHead(200).end('internal secrets')
  })
  internalUrl = await listen(internal)
})

afterAll(async () => {
  for (const host of hosts) await host.close()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  await new Promise((r) => playbook?.close(r))
  await new Promise((r) => internal?.close(r))
})

async function startHost(limits: { maxAssetBytes?: number; maxInvocationBytes?: number } = {}) {
  const dest = await mkdtemp(join(tmpdir(), 'pbs-plugin-hard-'))
  dirs.push(dest)
  const host = await startPluginHost({
    port: 0,
    secret,
    dest,
    apiUrl: playbookUrl,
    retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
    ...limits,
  })
  hosts.push(host)
  return { host, dest }
}

/** POSTs raw, so Host, Origin and Content-Type are exactly what a test says. */
function post(
  url: string,
  payload: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

let counter = 0
function invocation(assetUrls: readonly string[], callbackUrl = `${playbookUrl}/callback`) {
  counter++
  return JSON.stringify({
    pluginInvocationToken: `inv-hard-${counter}-${Date.now()}`,
    callbackUrl,
    operation: 'invokePlugin',
    assets: assetUrls.map((url, i) => ({ token: `a${i}`, url, title: `file ${i}`, type: '.bin' })),
  })
}

async function invoke(host: PluginHost, payload: string): Promise<number> {
  const url = host.urls['send-to-desktop']
  const port = new URL(url).port
  const answer = await post(url, payload, {
    'content-type': 'application/json',
    host: `127.0.0.1:${port}`,
  })
  await host.idle()
  return answer.status
}

describe('plugin host: where it may send requests', () => {
  it('never fetches a loopback address other than the configured API (SSRF), and says nothing about it', async () => {
    const { host, dest } = await startHost()
    statuses.length = 0
    expect(await invoke(host, invocation([`${internalUrl}/admin`]))).toBe(200)
    expect(internalHits).toBe(0)
    const reported = statuses.at(-1)
    expect(reported?.status).toBe('failed')
    expect(reported?.message).not.toContain(new URL(internalUrl).port)
    expect(reported?.message).not.toMatch(/ECONN|127\.0\.0\.1/)
    expect((await readdir(dest)).filter((f) => !f.startsWith('.'))).toEqual([])
  })

  it('never PUTs fetched bytes to an upload URL that is not Playbook’s', async () => {
    const { host } = await startHost()
    statuses.length = 0
    const payload = JSON.stringify({
      pluginInvocationToken: `inv-put-${Date.now()}`,
      callbackUrl: `${playbookUrl}/callback`,
      operation: 'invokePlugin',
      assets: [{ token: 'img', url: `${playbookUrl}/image.png`, title: 'pic', type: '.png' }],
    })
    const url = host.urls['web-versions']
    const answer = await post(url, payload, {
      'content-type': 'application/json',
      host: `127.0.0.1:${new URL(url).port}`,
    })
    expect(answer.status).toBe(200)
    await host.idle()
    expect(internalHits).toBe(0)
    expect(statuses.at(-1)?.status).toBe('failed')
    expect(statuses.at(-1)?.message).toMatch(/refused/)
  })

  it('refuses a callback URL that is not Playbook’s', async () => {
    const { host } = await startHost()
    expect(await invoke(host, invocation([`${playbookUrl}/files/10`], `${internalUrl}/cb`))).toBe(
      400,
    )
    expect(internalHits).toBe(0)
  })

  it('allows https Playbook hosts only, and refuses private addresses after DNS resolution', async () => {
    const policy = createUrlPolicy({ apiUrl: () => 'https://api.playbook.com' })
    expect(policy.check('https://storage.googleapis.com/b/x', 'asset').hostname).toBe(
      'storage.googleapis.com',
    )
    expect(policy.check('https://img.playbook.com/x', 'asset').hostname).toBe('img.playbook.com')
    for (const bad of [
      'http://img.playbook.com/x',
      'https://evil.test/x',
      'https://playbook.com.evil.test/x',
      'https://10.0.0.1/x',
      'https://user:pw@img.playbook.com/x',
      `${internalUrl}/x`,
    ])
      expect(() => policy.check(bad, 'asset'), bad).toThrow()
    await policy.close()
    // A name on the allowed list that resolves to loopback is refused at connect time.
    const trusting = createUrlPolicy({
      apiUrl: () => 'https://api.playbook.com',
      hosts: ['localhost'],
    })
    const port = new URL(internalUrl).port
    const refused = await trusting.fetch(`https://localhost:${port}/`).catch((e: unknown) => e)
    expect(((refused as Error).cause as Error | undefined)?.name).toBe('PluginUrlError')
    expect(internalHits).toBe(0)
    await trusting.close()
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '169.254.169.254', '::1'])
      expect(isPrivateAddress(address), address).toBe(true)
    expect(isPrivateAddress('::ffff:127.0.0.1')).toBe(true)
    expect(isPrivateAddress('8.8.8.8')).toBe(false)
  })
})

describe('plugin host: byte caps', () => {
  it('stops an oversize download and keeps nothing of it', async () => {
    const { host, dest } = await startHost({ maxAssetBytes: 1024 * 1024 })
    statuses.length = 0
    await invoke(host, invocation([`${playbookUrl}/files/${3 * 1024 * 1024}`]))
    expect(statuses.at(-1)?.status).toBe('failed')
    expect(statuses.at(-1)?.message).toMatch(/larger than 1048576 bytes/)
    expect((await readdir(dest)).filter((f) => !f.startsWith('.'))).toEqual([])
  })

  it('caps what one invocation downloads, all assets together', async () => {
    const { host, dest } = await startHost({ maxInvocationBytes: 1024 * 1024 })
    statuses.length = 0
    const each = 600 * 1024
    await invoke(host, invocation([`${playbookUrl}/files/${each}`, `${playbookUrl}/files/${each}`]))
    expect(statuses.at(-1)?.message).toMatch(/larger than 1048576 bytes together/)
    expect((await readdir(dest)).filter((f) => !f.startsWith('.')).length).toBeLessThan(2)
  })
})

describe('plugin host: who may invoke it', () => {
  it('refuses a cross-origin browser POST, a foreign Host and a non-JSON body', async () => {
    const { host } = await startHost()
    const url = host.urls['send-to-desktop']
    const own = `127.0.0.1:${new URL(url).port}`
    const payload = invocation([`${playbookUrl}/files/10`])
    // What a page's fetch(url, { mode: 'no-cors', method: 'POST', body }) sends.
    const noCors = await post(url, payload, {
      host: own,
      origin: 'https://evil.test',
      'content-type': 'text/plain;charset=UTF-8',
    })
    expect(noCors.status).toBe(403)
    const rebinding = await post(url, payload, {
      host: `evil.test:${new URL(url).port}`,
      'content-type': 'application/json',
    })
    expect(rebinding.status).toBe(421)
    const plain = await post(url, payload, { host: own, 'content-type': 'text/plain' })
    expect(plain.status).toBe(415)
    await host.idle()
    expect(host.activity()).toEqual([])
  })
})
