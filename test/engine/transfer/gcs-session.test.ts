import { appendFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Http } from '../../../src/engine/playbook/http.ts'
import { startSession, uploadFile } from '../../../src/engine/transfer/gcs-session.ts'
import { SourceChangedError } from '../../../src/engine/transfer/transfer-errors.ts'
import { startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const chunkSize = 256 * 1024
const mediaType = 'application/octet-stream'

describe('chunked upload with the next chunk read ahead', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  /** A fresh session for `size` bytes, and a transport that records what it sends. */
  async function session(
    size: number,
    onSend?: (index: number) => Promise<void>,
  ): Promise<{ url: string; http: Http; ranges: string[] }> {
    const client = world.client()
    const prepared = await client.uploadPrepare(
      world.sandbox.org,
      { title: 'x.bin', media_type: mediaType, size },
      undefined,
    )
    const url = await startSession(client.http, {
      uploadUrl: prepared.upload_url ?? '',
      mediaType,
      orgMetadata: prepared.encrypted_organization_metadata ?? null,
    })
    const ranges: string[] = []
    const http: Http = {
      async send(req) {
        ranges.push(req.headers?.['content-range'] ?? '')
        await onSend?.(ranges.length - 1)
        return client.http.send(req)
      },
      close: () => client.http.close(),
    }
    return { url, http, ranges }
  }

  it('sends each chunk once, in order, and hashes the whole file', async () => {
    const f = await world.file('multi.bin', 3 * chunkSize + 1000)
    const { url, http, ranges } = await session(f.size)
    const confirmed: number[] = []
    const { sha256 } = await uploadFile({
      http,
      sessionUrl: url,
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      mediaType,
      confirmed: 0,
      chunkSize,
      onConfirmed: (n) => {
        confirmed.push(n)
      },
    })
    expect(sha256).toBe(f.sha256)
    expect(ranges).toEqual([
      `bytes 0-${chunkSize - 1}/${f.size}`,
      `bytes ${chunkSize}-${2 * chunkSize - 1}/${f.size}`,
      `bytes ${2 * chunkSize}-${3 * chunkSize - 1}/${f.size}`,
      `bytes ${3 * chunkSize}-${f.size - 1}/${f.size}`,
    ])
    expect(confirmed).toEqual([chunkSize, 2 * chunkSize, 3 * chunkSize])
  })

  it('stops with a source change when the file grows while a chunk is on the wire', async () => {
    const f = await world.file('growing.bin', 3 * chunkSize)
    const { url, http, ranges } = await session(f.size, async (index) => {
      if (index === 0) await appendFile(f.path, 'late bytes')
    })
    await expect(
      uploadFile({
        http,
        sessionUrl: url,
        path: f.path,
        size: f.size,
        mtimeMs: f.mtimeMs,
        mediaType,
        confirmed: 0,
        chunkSize,
        onConfirmed: () => {},
      }),
    ).rejects.toBeInstanceOf(SourceChangedError)
    // Every read-ahead chunk is checked against the file before it is sent: the last never went out.
    expect(ranges.length).toBeGreaterThan(0)
    expect(ranges.length).toBeLessThan(3)
  })
})
