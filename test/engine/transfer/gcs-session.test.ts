import { createHash } from 'node:crypto'
import { appendFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { uploadFile } from '../../../src/engine/transfer/gcs-session.ts'
import type { SentMark } from '../../../src/engine/transfer/gcs-session.ts'
import { ChunkReader } from '../../../src/engine/transfer/source-reader.ts'
import {
  RestartFromPrepareError,
  SourceChangedError,
} from '../../../src/engine/transfer/transfer-errors.ts'
import { startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'
import { mediaType, recordedSession, rewriteInPlace, sessionInput } from './session-helpers.ts'

const chunkSize = 256 * 1024

describe('chunked upload with the next chunk read ahead', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  const session = (size: number, onSend?: (index: number) => Promise<void>) =>
    recordedSession(world, size, onSend)

  it('sends each chunk once, in order, and hashes the whole file', async () => {
    const f = await world.file('multi.bin', 3 * chunkSize + 1000)
    const { url, http, ranges } = await session(f.size)
    const confirmed: number[] = []
    const sent: number[] = []
    const { sha256 } = await uploadFile({
      ...sessionInput(f, { url, http }),
      confirmed: 0,
      chunkSize,
      onConfirmed: (n) => {
        confirmed.push(n)
      },
      onSent: (n) => sent.push(n),
    })
    // Sent bytes are told as each chunk goes out, ahead of its confirmation.
    expect(sent).toEqual([chunkSize, 2 * chunkSize, 3 * chunkSize, f.size])
    expect(sha256).toBe(f.sha256)
    expect(ranges).toEqual([
      `bytes 0-${chunkSize - 1}/${f.size}`,
      `bytes ${chunkSize}-${2 * chunkSize - 1}/${f.size}`,
      `bytes ${2 * chunkSize}-${3 * chunkSize - 1}/${f.size}`,
      `bytes ${3 * chunkSize}-${f.size - 1}/${f.size}`,
    ])
    expect(confirmed).toEqual([chunkSize, 2 * chunkSize, 3 * chunkSize])
  })

  it('backs off when storage answers a chunk without taking any of it, then gives up', async () => {
    const f = await world.file('stuck.bin', 2 * chunkSize)
    const { url, http, ranges } = await session(f.size)
    // Every chunk is answered 308 with nothing more stored.
    await world.faults([
      { method: 'PUT', path: '/storage/session', action: 'partial', after_bytes: 0, times: 0 },
    ])
    const sleeps: number[] = []
    const failed = await uploadFile({
      ...sessionInput(f, { url, http }),
      confirmed: 0,
      chunkSize,
      maxStalls: 4,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      onConfirmed: () => {},
    }).catch((e: unknown) => e)
    expect(String(failed)).toContain('no progress past 0')
    expect(sleeps).toHaveLength(3)
    expect(sleeps.every((ms) => ms > 0)).toBe(true)
    expect(ranges.filter((r) => r === `bytes 0-${chunkSize - 1}/${f.size}`)).toHaveLength(4)
  })

  it('stops with a source change when the file grows while a chunk is on the wire', async () => {
    const f = await world.file('growing.bin', 3 * chunkSize)
    const { url, http, ranges } = await session(f.size, async (index) => {
      if (index === 0) await appendFile(f.path, 'late bytes')
    })
    await expect(
      uploadFile({
        ...sessionInput(f, { url, http }),
        confirmed: 0,
        chunkSize,
        onConfirmed: () => {},
      }),
    ).rejects.toBeInstanceOf(SourceChangedError)
    // Every read-ahead chunk is checked against the file before it is sent: the last never went out.
    expect(ranges.length).toBeGreaterThan(0)
    expect(ranges.length).toBeLessThan(3)
  })

  it('never sends the last chunk when the file was rewritten in place with its mtime restored', async () => {
    const f = await world.file('rewritten.bin', 4 * chunkSize)
    const { url, http, ranges } = await session(f.size, (index) => {
      // While the first chunk is on the wire, the third (not yet read) is replaced.
      if (index === 0) rewriteInPlace(f.path, 2 * chunkSize, f.mtimeMs)
      return Promise.resolve()
    })
    const upload = uploadFile({
      ...sessionInput(f, { url, http }),
      expectedSha256: f.sha256,
      confirmed: 0,
      chunkSize,
      onConfirmed: () => {},
    })
    await expect(upload).rejects.toBeInstanceOf(SourceChangedError)
    // Three chunks went out; the one that would have finished the object was held back.
    expect(ranges).not.toContain(`bytes ${3 * chunkSize}-${f.size - 1}/${f.size}`)
    expect(ranges).toHaveLength(3)
  })

  // Opened just after it was written, the file is read again before the last chunk; opened long
  // after (the clock moved on), its stamp is checked, and a rewrite moves its ctime all the same.
  it.each([
    ['just written (read again)', 0],
    ['long untouched (stamp checked)', 60_000],
  ])(
    'without an expected hash, finishes only when what was sent is the file as it is now: %s',
    async (_name, ageMs) => {
      const f = await world.file('no-expected.bin', 3 * chunkSize)
      const { url, http, ranges } = await session(f.size, (index) => {
        if (index === 1) rewriteInPlace(f.path, 0, f.mtimeMs)
        return Promise.resolve()
      })
      await expect(
        uploadFile({
          ...sessionInput(f, { url, http }),
          confirmed: 0,
          chunkSize,
          now: () => Date.now() + ageMs,
          onConfirmed: () => {},
        }),
      ).rejects.toBeInstanceOf(SourceChangedError)
      expect(ranges).toHaveLength(2)
    },
  )

  it('without an expected hash, a file untouched since long before it was opened is not read again', async () => {
    const f = await world.file('untouched.bin', 3 * chunkSize)
    const { url, http } = await session(f.size)
    const reads = vi.spyOn(ChunkReader.prototype, 'hashPrefix')
    try {
      const { sha256 } = await uploadFile({
        ...sessionInput(f, { url, http }),
        confirmed: 0,
        chunkSize,
        now: () => Date.now() + 60_000,
        onConfirmed: () => {},
      })
      expect(sha256).toBe(f.sha256)
      expect(reads).not.toHaveBeenCalled()
    } finally {
      reads.mockRestore()
    }
  })

  it('after a restart, vouches for the stored prefix with the recorded mark, or starts again', async () => {
    const f = await world.file('resumed.bin', 3 * chunkSize)
    const first = await session(f.size)
    let mark: SentMark | null = null
    const stopAfterFirst = new AbortController()
    await expect(
      uploadFile({
        http: first.http,
        sessionUrl: first.url,
        path: f.path,
        size: f.size,
        mtimeMs: f.mtimeMs,
        mediaType,
        expectedSha256: f.sha256,
        confirmed: 0,
        chunkSize,
        signal: stopAfterFirst.signal,
        onSending: (m) => {
          mark = m
        },
        onConfirmed: () => stopAfterFirst.abort(),
      }),
    ).rejects.toThrow()
    expect(mark).not.toBeNull()
    const recorded = mark as unknown as SentMark
    expect(recorded.end).toBe(chunkSize)
    // Same bytes: the upload carries on from the stored prefix and finishes with the right hash.
    const resumed = await uploadFile({
      http: first.http,
      sessionUrl: first.url,
      path: f.path,
      size: f.size,
      mtimeMs: f.mtimeMs,
      mediaType,
      expectedSha256: f.sha256,
      confirmed: chunkSize,
      sentMark: recorded,
      chunkSize,
      onConfirmed: () => {},
    })
    expect(resumed.sha256).toBe(f.sha256)
    expect(first.ranges.filter((r) => r.startsWith('bytes 0-'))).toHaveLength(1)

    // A second session stopped the same way, then the sent block is rewritten before the restart.
    const second = await session(f.size)
    let mark2: SentMark | null = null
    const stop2 = new AbortController()
    await expect(
      uploadFile({
        http: second.http,
        sessionUrl: second.url,
        path: f.path,
        size: f.size,
        mtimeMs: f.mtimeMs,
        mediaType,
        expectedSha256: f.sha256,
        confirmed: 0,
        chunkSize,
        signal: stop2.signal,
        onSending: (m) => {
          mark2 = m
        },
        onConfirmed: () => stop2.abort(),
      }),
    ).rejects.toThrow()
    rewriteInPlace(f.path, 0, f.mtimeMs)
    await expect(
      uploadFile({
        http: second.http,
        sessionUrl: second.url,
        path: f.path,
        size: f.size,
        mtimeMs: f.mtimeMs,
        mediaType,
        expectedSha256: createHash('sha256').update('not this').digest('hex'),
        confirmed: chunkSize,
        sentMark: mark2,
        chunkSize,
        onConfirmed: () => {},
      }),
    ).rejects.toBeInstanceOf(RestartFromPrepareError)
  })
})
