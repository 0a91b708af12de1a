import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BLOCK, writeBlocks } from '../../src/sandbox/block-writer.ts'
import type { RunningHashes } from '../../src/sandbox/block-writer.ts'

const freshHashes = (): RunningHashes => ({
  md5: createHash('md5'),
  sha256: createHash('sha256'),
  at: 0,
})
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('base64')

/** `data` as a request body would arrive: chunks of uneven sizes, across block boundaries. */
async function* chunks(data: Buffer, failAfter?: number): AsyncGenerator<Buffer> {
  const sizes = [1000, 65_536, 300_001, 7, 2 * BLOCK + 13]
  let at = 0
  for (let i = 0; at < data.length; i++) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('connection reset')
    const n = Math.min(sizes[i % sizes.length] as number, data.length - at)
    yield data.subarray(at, at + n)
    at += n
  }
}

describe('block writer (the sandbox storing a request body)', () => {
  let dir: string
  let file: string
  const data = Buffer.alloc(9 * BLOCK + 12_345)
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'block-writer-'))
    file = join(dir, 'blob')
    await writeFile(file, '')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('stores a whole body of uneven chunks, hashing exactly what it stored', async () => {
    const hashes = freshHashes()
    const result = await writeBlocks({ source: chunks(data), file, hashes, final: true })
    expect(result).toEqual({ stored: data.length, received: data.length, ended: true })
    expect(await readFile(file)).toEqual(data)
    expect(hashes.at).toBe(data.length)
    expect(hashes.sha256.digest('hex')).toBe(sha256(data))
    expect(hashes.md5.digest('base64')).toBe(md5(data))
  })

  it('after a reset mid-body, keeps the whole blocks that arrived and hashes only those', async () => {
    const hashes = freshHashes()
    const cut = 5 * BLOCK + 100_000
    const result = await writeBlocks({ source: chunks(data, cut), file, hashes, final: true })
    expect(result.ended).toBe(false)
    expect(result.received).toBeGreaterThanOrEqual(cut)
    const kept = Math.floor(result.received / BLOCK) * BLOCK
    expect(result.stored).toBe(kept)
    expect(await readFile(file)).toEqual(data.subarray(0, kept))
    expect(hashes.at).toBe(kept)
    expect(hashes.sha256.digest('hex')).toBe(sha256(data.subarray(0, kept)))
  })

  it('continues where an earlier write left off, and stops at a limit', async () => {
    const hashes = freshHashes()
    const first = data.subarray(0, 3 * BLOCK)
    await writeBlocks({ source: chunks(first), file, hashes, final: false })
    expect(hashes.at).toBe(3 * BLOCK)
    const rest = data.subarray(3 * BLOCK)
    const result = await writeBlocks({
      source: chunks(rest),
      file,
      hashes,
      final: false,
      limit: 4 * BLOCK,
      atLimit: 'stop',
    })
    expect(result).toMatchObject({ stored: 4 * BLOCK, ended: false })
    expect(await readFile(file)).toEqual(data.subarray(0, 7 * BLOCK))
    expect(hashes.sha256.digest('hex')).toBe(sha256(data.subarray(0, 7 * BLOCK)))
  })
})
