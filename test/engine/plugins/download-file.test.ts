/**
 * Resumable downloads against the sandbox's signed download URLs: Range from where a part file
 * stopped, a part that is already whole, a stale part longer than the object, and a refusal.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadToPart } from '../../../src/engine/plugins/download-file.ts'
import type { DownloadProgress } from '../../../src/engine/plugins/download-file.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { signedDownloadUrl, uploadAsset } from '../../sandbox/plugins/sandbox-helpers.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const tempFolder = tempFolders()
const retry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }
let sandbox: Sandbox
let dir: string
let url: string
const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256))

beforeAll(async () => {
  sandbox = await startSandbox({})
  dir = await tempFolder('plugin-download-')
  const asset = await uploadAsset(sandbox, {
    title: 'blob.bin',
    mediaType: 'application/octet-stream',
    bytes,
  })
  url = await signedDownloadUrl(sandbox, asset.token)
})

afterAll(async () => {
  await sandbox.close()
})

describe('downloadToPart', () => {
  it('continues a part file with a Range request', async () => {
    const part = join(dir, 'resume.part')
    await writeFile(part, bytes.subarray(0, 12_345))
    const seen: DownloadProgress[] = []
    const result = await downloadToPart({
      url,
      partPath: part,
      retry,
      onProgress: (p) => seen.push(p),
    })
    expect(result.bytes).toBe(bytes.length)
    expect(seen[0]).toEqual({ bytesDone: 12_345, bytesTotal: bytes.length })
    expect((await readFile(part)).equals(bytes)).toBe(true)
  })

  it('accepts a part file that is already whole', async () => {
    const part = join(dir, 'whole.part')
    await writeFile(part, bytes)
    expect((await downloadToPart({ url, partPath: part, retry })).bytes).toBe(bytes.length)
    expect((await readFile(part)).equals(bytes)).toBe(true)
  })

  it('starts over when a stale part is longer than the object', async () => {
    const part = join(dir, 'stale.part')
    await writeFile(part, Buffer.alloc(bytes.length + 10, 1))
    expect((await downloadToPart({ url, partPath: part, retry })).bytes).toBe(bytes.length)
    expect((await readFile(part)).equals(bytes)).toBe(true)
  })

  it('gives up at once on a refusal such as a tampered signature', async () => {
    const part = join(dir, 'refused.part')
    const tampered = url.replace(
      /X-Goog-Signature=([0-9a-f])/,
      (_, c: string) => `X-Goog-Signature=${c === '0' ? '1' : '0'}`,
    )
    await expect(downloadToPart({ url: tampered, partPath: part, retry })).rejects.toThrow(
      'download answered HTTP 403',
    )
  })
})
