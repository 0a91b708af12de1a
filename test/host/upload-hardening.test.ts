import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect as netConnect } from 'node:net'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import { startHost, type RunningHost } from '../../src/host/index.ts'
import {
  createUploadStaging,
  stagedFileName,
  UploadTooLargeError,
} from '../../src/host/upload-staging.ts'
import type { ServerMessage } from '../../src/shared/contract.ts'
import { hostCookie } from './support/host-session.ts'
import { tempFolders } from '../support/temp-folders.ts'

// Hostile input at the headless host's edges: file names and bodies from the browser, and
// malformed requests from any local process. Real server, real files, no mocks.

const tempFolder = tempFolders()
const maxUploadBytes = 64 * 1024
let host: RunningHost
let home: string
let rendererDir: string
let cookie: string

beforeAll(async () => {
  home = await tempFolder('pbs-host-hard-')
  rendererDir = await tempFolder('pbs-host-hard-renderer-')
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Playbook Sync</title>')
  host = await startHost({
    enginePorts: {
      home,
      secrets: createMemorySecretStore(),
      log: { info: () => {}, warn: () => {}, error: () => {} },
    },
    rendererDir,
    maxUploadBytes,
  })
  cookie = await hostCookie(host)
})

afterAll(async () => {
  await host?.close()
})

/** Sends raw bytes and returns the first response line (or '' when the host closed). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(host.port, '127.0.0.1', () => socket.write(text))
    let got = ''
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString()
      if (got.includes('\r\n')) socket.destroy()
    })
    socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

/** One invoke over the socket, as the page would send it. */
async function invokeOnce(channel: string, payload: unknown): Promise<ServerMessage> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
    origin: host.origin,
    headers: { cookie },
  })
  try {
    return await new Promise<ServerMessage>((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as ServerMessage
        if (message.type === 'hello')
          ws.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }))
        if (message.type === 'result') resolve(message)
      })
      ws.once('error', reject)
    })
  } finally {
    ws.close()
  }
}

async function uploadSecret(): Promise<string> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
    origin: host.origin,
    headers: { cookie },
  })
  const hello = await new Promise<Extract<ServerMessage, { type: 'hello' }>>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as never))
    ws.once('error', reject)
  })
  ws.close()
  return hello.uploadSecret
}

function put(
  name: string,
  secret: string,
  body: Buffer | Readable,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: `/upload?name=${encodeURIComponent(name)}`,
        method: 'PUT',
        headers: { origin: host.origin, cookie, 'x-playbook-upload-secret': secret, ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      },
    )
    // The host may stop reading an over-large body and close: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    )
    if (Buffer.isBuffer(body)) req.end(body)
    else body.pipe(req)
  })
}

describe('stagedFileName', () => {
  it('keeps one safe path component whatever the browser sends', () => {
    expect(stagedFileName('../../etc/passwd')).toBe('passwd')
    expect(stagedFileName('C:\\Users\\me\\evil.png')).toBe('evil.png')
    expect(stagedFileName('/etc/shadow')).toBe('shadow')
    expect(stagedFileName('..')).not.toMatch(/^\.+$/)
    expect(stagedFileName('a\0b.png')).toBe('ab.png')
    expect(stagedFileName('CON.txt')).toBe('_CON.txt')
    expect(stagedFileName('report.pdf')).toBe('report.pdf')
    const long = stagedFileName(`${'é'.repeat(400)}.png`)
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255)
    expect(long.endsWith('.png')).toBe(true)
    expect(stagedFileName('😀'.repeat(300))).not.toMatch(/\uFFFD/)
  })
})

describe('upload staging', () => {
  it('removes a half-written file that went over the limit, and keeps good ones', async () => {
    const staging = await createUploadStaging()
    try {
      const good = await staging.receive('ok.txt', Readable.from([Buffer.from('fine')]), 10)
      const [path] = staging.paths([good])
      const root = dirname(dirname(path ?? ''))
      await expect(
        staging.receive('big.bin', Readable.from([Buffer.alloc(8), Buffer.alloc(8)]), 10),
      ).rejects.toBeInstanceOf(UploadTooLargeError)
      expect((await readdir(root)).sort()).toEqual([good, 'owner.pid'].sort())
      expect(await readFile(path ?? '', 'utf8')).toBe('fine')
    } finally {
      await staging.close()
    }
  })
})

describe('staging left behind by a crashed host', () => {
  it('is swept when the next host starts; fresh and unrelated folders stay', async () => {
    const parent = await tempFolder('pbs-sweep-')
    const stale = join(parent, 'playbook-sync-drop-old')
    const fresh = join(parent, 'playbook-sync-drop-new')
    const live = join(parent, 'playbook-sync-drop-live')
    const other = join(parent, 'someone-else')
    for (const dir of [stale, fresh, live, other]) await mkdir(join(dir, 'x'), { recursive: true })
    // Old, but its owner (this very process) still runs: a long-lived host, not a crashed one.
    await writeFile(join(live, 'owner.pid'), String(process.pid))
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
    for (const dir of [stale, live, other]) await utimes(dir, old, old)
    const staging = await createUploadStaging(parent)
    const left = await readdir(parent)
    expect(left).not.toContain('playbook-sync-drop-old')
    expect(left).toContain('playbook-sync-drop-new')
    expect(left).toContain('playbook-sync-drop-live')
    expect(left).toContain('someone-else')
    await staging.close()
  })
})

describe('headless host under hostile requests', () => {
  it('answers a URL that does not parse with 400 and keeps serving', async () => {
    const host127 = `127.0.0.1:${host.port}`
    expect(await rawRequest(`GET //[ HTTP/1.1\r\nHost: ${host127}\r\n\r\n`)).toMatch(/ 400 /)
    const upgrade = await rawRequest(
      `GET //[ HTTP/1.1\r\nHost: ${host127}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    )
    expect(upgrade).toMatch(/ 403 /)
    expect(
      await rawRequest(`GET / HTTP/1.1\r\nHost: ${host127}\r\nCookie: ${cookie}\r\n\r\n`),
    ).toMatch(/ 200 /)
  })

  it('takes no local paths from the page: files come through the upload endpoint only', async () => {
    const answer = await invokeOnce('upload:paths', { paths: ['/etc/hosts'], board: 'b' })
    expect(answer).toMatchObject({ type: 'result', ok: false })
    expect(answer.type === 'result' && !answer.ok ? answer.error : '').toMatch(
      /upload:paths: not available in the browser/,
    )
  })

  it('refuses names with NUL and bodies over the size limit, declared or streamed', async () => {
    const secret = await uploadSecret()
    expect((await put('a\0b.txt', secret, Buffer.from('x'))).status).toBe(400)
    const declared = await put('big.bin', secret, Buffer.alloc(maxUploadBytes + 1))
    expect(declared.status).toBe(413)
    // Chunked, so the size is only known while streaming.
    const chunks = Readable.from(
      Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024)),
      { objectMode: false },
    )
    const streamed = await put('big.bin', secret, chunks)
    expect(streamed.status).toBe(413)
    expect(streamed.body).toMatch(/larger than/)
    const ok = await put('../../escape.txt', secret, Buffer.from('hello'))
    expect(ok.status).toBe(201)
  })
})
