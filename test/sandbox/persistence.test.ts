import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import { tempFolders } from '../support/temp-folders.ts'
import { spawnSandbox, type ChildSandbox } from './child.ts'
import {
  adminAssets,
  api,
  bytes,
  md5b64,
  prepare,
  putChunk,
  eventually,
  sha256,
  startSession,
  uploadObject,
} from './helpers.ts'

const KB256 = 256 * 1024

describe('sandbox persistence with --data', () => {
  const tempFolder = tempFolders()
  let dir: string
  const children: ChildSandbox[] = []
  beforeEach(async () => {
    dir = await tempFolder('sandbox-persist-')
  })
  afterEach(() => {
    for (const c of children.splice(0)) c.child.kill('SIGKILL')
  })

  it('keeps org, tokens, boards, assets and bytes across a clean restart', async () => {
    const first = await startSandbox({ dataDir: dir })
    const data = bytes(3000, 4)
    const gcs = await uploadObject(first, 'kept.bin', data)
    const done = await api(first, 'POST', `/v1/${first.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: gcs, title: 'kept.bin', collection_token: first.boards[0]?.token },
    })
    await first.close()

    const second = await startSandbox({ dataDir: dir })
    try {
      expect(second.info).toEqual({ ...first.info, url: second.url })
      const asset = await api(second, 'GET', `/v1/${second.org}/assets/${done.body.data.token}`)
      expect(asset.status).toBe(200)
      expect(
        (await adminAssets(second)).find((a) => a.token === done.body.data.token)?.sha256,
      ).toBe(sha256(data))
      const file = await fetch(`${second.url}/files/${done.body.data.token}`)
      expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(data))
    } finally {
      await second.close()
    }
  })

  it('survives SIGKILL: completed assets stay, an open session resumes from its stored blocks', async () => {
    const one = await spawnSandbox(['--data', dir, '--port', '0'])
    children.push(one)
    const sb = one.info
    const small = bytes(777, 8)
    const gcs = await uploadObject(sb, 'small.bin', small)
    const done = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: gcs, title: 'small.bin' },
    })
    expect(done.status).toBe(200)

    const big = bytes(KB256 * 3 + 10, 9)
    const prep = await prepare(sb, 'big.bin', big.length)
    const session = await startSession(prep)
    const firstChunk = await putChunk(
      session,
      `bytes 0-${2 * KB256 - 1}/${big.length}`,
      big.subarray(0, 2 * KB256),
    )
    expect(firstChunk).toMatchObject({ status: 308, range: `bytes=0-${2 * KB256 - 1}` })
    one.child.kill('SIGKILL')
    await one.exited

    const port = new URL(one.info.url).port
    const two = await spawnSandbox(['--data', dir, '--port', port])
    children.push(two)
    expect(two.info).toEqual(one.info)
    expect(
      (await api(sb, 'GET', `/v1/${sb.org}/assets/${done.body.data.token}`)).body.data.title,
    ).toBe('small.bin')
    expect(await putChunk(session, `bytes */${big.length}`)).toMatchObject({
      status: 308,
      range: `bytes=0-${2 * KB256 - 1}`,
    })
    const rest = await putChunk(
      session,
      `bytes ${2 * KB256}-${big.length - 1}/${big.length}`,
      big.subarray(2 * KB256),
    )
    expect(rest.status).toBe(200)
    expect(JSON.parse(rest.body).md5Hash).toBe(md5b64(big))
    const bigDone = await api(sb, 'POST', `/v1/${sb.org}/assets/upload_complete`, {
      asset: { signed_gcs_id: prep.signed_gcs_id, title: 'big.bin' },
    })
    expect((await adminAssets(sb)).find((a) => a.token === bigDone.body.data.token)?.sha256).toBe(
      sha256(big),
    )
    two.child.kill('SIGTERM')
    expect(await two.exited).toBe(0)
  })

  it('fetches URL ingests left pending by a previous run', async () => {
    let hold = true
    const waiting: ServerResponse[] = []
    const src = createServer((_req, res) => {
      if (hold) {
        waiting.push(res)
        return
      }
      res.writeHead(200, { 'Content-Type': 'image/gif' })
      res.end('GIF89a')
    })
    await new Promise<void>((r) => src.listen(0, '127.0.0.1', r))
    try {
      const uri = `http://127.0.0.1:${(src.address() as AddressInfo).port}/slow.gif`
      const first = await startSandbox({ dataDir: dir })
      const res = await api(first, 'POST', `/v1/${first.org}/assets`, { asset: { uri } })
      expect(res.body.data.is_skeleton).toBe(true)
      await eventually(async () => (waiting.length > 0 ? true : undefined))
      await first.close()
      for (const w of waiting) w.destroy()
      hold = false
      const second = await startSandbox({ dataDir: dir })
      try {
        const done = await eventually(async () => {
          const a = await api(second, 'GET', `/v1/${second.org}/assets/${res.body.data.token}`)
          return a.body.data.is_skeleton ? undefined : a.body.data
        })
        expect(done).toMatchObject({ media_type: 'image/gif', size: 6, source_error: null })
      } finally {
        await second.close()
      }
    } finally {
      src.closeAllConnections()
      await new Promise((r) => src.close(r))
    }
  })
})
