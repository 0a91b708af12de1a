import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createEngine } from '../../src/engine/app.ts'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import type { Engine } from '../../src/engine/engine-types.ts'
import { startHost, type RunningHost } from '../../src/host/index.ts'
import type { ServerMessage } from '../../src/shared/contract.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { hostCookie } from './support/host-session.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The headless host over the real engine and the real sandbox, spoken to as a browser would
// (a WebSocket with an Origin, HTTP PUTs), and as a hostile page or rebinding DNS would.

const tempFolder = tempFolders()
let sandbox: Sandbox
let engine: Engine
let host: RunningHost
let home: string
let rendererDir: string
let cookie: string

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  home = await tempFolder('pbs-host-test-')
  rendererDir = await tempFolder('pbs-host-renderer-')
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Playbook Sync</title>')
  engine = await createEngine({
    home,
    secrets: createMemorySecretStore(),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  })
  host = await startHost({ engine, rendererDir, defaultApiUrl: sandbox.url })
  cookie = await hostCookie(host)
})

afterAll(async () => {
  await host?.close()
  await engine?.close()
  await sandbox?.close()
})

/** A socket client that records events and answers invokes by id. */
async function connect(origin: string | null = host.origin, withCookie = true) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
    ...(origin ? { origin } : {}),
    headers: withCookie ? { cookie } : {},
  })
  const messages: ServerMessage[] = []
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
  let nextId = 1
  const waitFor = async <T extends ServerMessage>(
    match: (m: ServerMessage) => m is T,
  ): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const found = messages.find(match)
      if (found) return found
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error('no such message')
  }
  return {
    ws,
    messages,
    waitFor,
    async invoke(channel: string, payload?: unknown) {
      const id = nextId++
      ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }))
      return waitFor(
        (m): m is Extract<ServerMessage, { type: 'result' }> => m.type === 'result' && m.id === id,
      )
    },
  }
}

function raw(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          method: init.method ?? 'GET',
          headers: { cookie, ...init.headers },
        },
        (res) => {
          let body = ''
          res.on('data', (chunk: Buffer) => (body += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end(init.body)
    },
  )
}

describe('headless host', () => {
  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await raw('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('Playbook Sync')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await raw('/../../etc/passwd')).status).toBe(404)
    expect((await raw('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
    expect((await raw('/', { method: 'POST' })).status).toBe(405)
  })

  it('refuses other host names (DNS rebinding) and other origins', async () => {
    expect((await raw('/', { headers: { host: 'evil.test' } })).status).toBe(421)
    await expect(connect('http://evil.test')).rejects.toThrow(/403/)
    await expect(connect(null)).rejects.toThrow(/403/)
  })

  it('serves the contract: validated requests, named errors, events', async () => {
    const client = await connect()
    const hello = await client.waitFor(
      (m): m is Extract<ServerMessage, { type: 'hello' }> => m.type === 'hello',
    )
    expect(hello.uploadSecret.length).toBeGreaterThan(20)
    const info = await client.invoke('app:info')
    expect(info).toMatchObject({
      ok: true,
      value: { host: 'headless', defaultApiUrl: sandbox.url },
    })
    expect(await client.invoke('fs:delete', { path: '/' })).toMatchObject({
      ok: false,
      error: 'Unknown channel fs:delete',
    })
    const bad = await client.invoke('session:sign-in-token', { token: 'x', extra: 1 })
    expect(bad.ok).toBe(false)
    expect(bad.ok ? '' : bad.error).toMatch(/session:sign-in-token: invalid request/)
    const badUrl = await client.invoke('shell:open-external', { url: 'file:///etc/passwd' })
    expect(badUrl.ok ? '' : badUrl.error).toMatch(/url must be an http\(s\) URL/)

    const signedIn = await client.invoke('session:sign-in-token', {
      token: sandbox.token,
      apiUrl: sandbox.url,
    })
    expect(signedIn).toMatchObject({ ok: true, value: { kind: 'signed-in' } })
    await client.waitFor(
      (m): m is Extract<ServerMessage, { type: 'event' }> =>
        m.type === 'event' && m.channel === 'session:changed',
    )
    const boards = await client.invoke('boards:list', {})
    expect(boards.ok && (boards.value as unknown[]).length).toBeGreaterThan(0)
    client.ws.close()
  })

  it('carries the plugin channels: validated settings, the host turned on and off, events', async () => {
    const client = await connect()
    const dest = await tempFolder('pbs-host-plugins-')
    try {
      const initial = await client.invoke('plugins:get')
      expect(initial).toMatchObject({
        ok: true,
        value: { enabled: false, status: { kind: 'off' } },
      })
      const bad = await client.invoke('plugins:set', { dest: 'not/absolute' })
      expect(bad.ok ? '' : bad.error).toMatch(/Choose the folder again/)
      const sneaky = await client.invoke('plugins:set', { secret: 'a'.repeat(32) })
      expect(sneaky.ok).toBe(false)
      // This host was started without a terminal to confirm folders: it takes none.
      const typed = await client.invoke('dialog:pick-folder', {
        purpose: 'plugin-dest',
        typed: dest,
      })
      expect(typed.ok ? '' : typed.error).toMatch(/cannot ask for confirmation/)
      const on = await client.invoke('plugins:set', { enabled: true })
      expect(on).toMatchObject({ ok: true, value: { enabled: true, status: { kind: 'on' } } })
      await client.waitFor(
        (m): m is Extract<ServerMessage, { type: 'event' }> =>
          m.type === 'event' &&
          m.channel === 'plugins:changed' &&
          (m.payload as { status: { kind: string } }).status.kind === 'on',
      )
      expect(await client.invoke('plugins:items')).toEqual({
        type: 'result',
        id: expect.any(Number) as number,
        ok: true,
        value: [],
      })
      const off = await client.invoke('plugins:set', { enabled: false })
      expect(off).toMatchObject({ ok: true, value: { status: { kind: 'off' } } })
    } finally {
      client.ws.close()
    }
  })

  it('takes dropped files only with the session secret, and uploads them with the bytes intact', async () => {
    const client = await connect()
    const hello = await client.waitFor(
      (m): m is Extract<ServerMessage, { type: 'hello' }> => m.type === 'hello',
    )
    const bytes = Buffer.from('dropped bytes, exactly these\n')
    expect((await raw('/upload?name=a.txt', { method: 'PUT', body: bytes })).status).toBe(403)
    const wrongOrigin = await raw('/upload?name=a.txt', {
      method: 'PUT',
      body: bytes,
      headers: { origin: 'http://evil.test', 'x-playbook-upload-secret': hello.uploadSecret },
    })
    expect(wrongOrigin.status).toBe(403)
    const ok = await raw(`/upload?name=${encodeURIComponent('../sneaky/drop.txt')}`, {
      method: 'PUT',
      body: bytes,
      headers: { origin: host.origin, 'x-playbook-upload-secret': hello.uploadSecret },
    })
    expect(ok.status).toBe(201)
    const { id } = JSON.parse(ok.body) as { id: string }

    const unknown = await client.invoke('upload:staged', {
      ids: ['nope'],
      board: sandbox.boards[0]?.token,
    })
    expect(unknown.ok ? '' : unknown.error).toMatch(/unknown upload id nope/)
    const board = sandbox.boards[0]?.token ?? ''
    const queued = await client.invoke('upload:staged', { ids: [id], board })
    expect(queued.ok).toBe(true)
    await engine.idle()
    const response = await fetch(`${sandbox.url}/__sandbox/assets?board=${board}`)
    const assets = ((await response.json()) as { data: { title: string; sha256: string }[] }).data
    // Only the last path component survives: the file never leaves its staging folder.
    const asset = assets.find((a) => a.title === 'drop.txt')
    expect(asset?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    // The staged copy is gone once the upload is done; the id no longer resolves.
    const again = await client.invoke('upload:staged', { ids: [id], board })
    expect(again.ok ? '' : again.error).toMatch(/unknown upload id/)
    client.ws.close()
  })
})

describe('headless host: only the printed URL lets anyone in', () => {
  // The takeover: any local process can set Origin and Host, so those alone let it drive the host.
  it('refuses a local process that forges Origin and Host but has no cookie', async () => {
    await expect(connect(host.origin, false)).rejects.toThrow(/403/)
    const page = await fetch(`${host.origin}/`)
    expect(page.status).toBe(401)
    expect(await page.text()).not.toContain('<title>')
    const upload = await fetch(`${host.origin}/upload?name=a.txt`, {
      method: 'PUT',
      headers: { origin: host.origin },
      body: 'x',
    })
    expect(upload.status).toBe(401)
  })

  it('refuses a wrong key, and trades the right one for an HttpOnly SameSite=Strict cookie', async () => {
    const wrong = await fetch(`${host.origin}/?key=${'A'.repeat(43)}`, { redirect: 'manual' })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const right = await fetch(host.url, { redirect: 'manual' })
    expect(right.status).toBe(303)
    expect(right.headers.get('location')).toBe('/')
    const setCookie = right.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const page = await fetch(`${host.origin}/`, {
      headers: { cookie: setCookie.split(';')[0] ?? '' },
    })
    expect(page.status).toBe(200)
  })
})
