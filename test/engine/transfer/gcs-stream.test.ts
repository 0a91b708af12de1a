import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { querySession } from '../../../src/engine/transfer/gcs-session.ts'
import type { SentMark } from '../../../src/engine/transfer/gcs-session.ts'
import { STREAM_SEGMENT, uploadStreaming } from '../../../src/engine/transfer/gcs-stream.ts'
import { ChunkReader } from '../../../src/engine/transfer/source-reader.ts'
import { createThrottle } from '../../../src/engine/transfer/throttle.ts'
import { SourceChangedError } from '../../../src/engine/transfer/transfer-errors.ts'
import { startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'
import { recordedSession, rewriteInPlace, sessionInput } from './session-helpers.ts'

const BLOCK = 256 * 1024

describe('streamed upload (the rest of the file in one PUT)', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  const session = (size: number, onSend?: (index: number) => Promise<void>) =>
    recordedSession(world, size, onSend)

  it('sends the whole file in one request, marking ahead of every segment, and hashes it', async () => {
    const f = await world.file('streamed.bin', 2 * STREAM_SEGMENT + 1000)
    const { url, http, ranges } = await session(f.size)
    const marks: SentMark[] = []
    const sent: number[] = []
    const confirmed: number[] = []
    const { sha256 } = await uploadStreaming({
      ...sessionInput(f, { url, http }),
      expectedSha256: f.sha256,
      confirmed: 0,
      chunkSize: 8 * 1024 * 1024,
      onSending: (m) => {
        // The mark is written before any byte past the previous one is handed over.
        expect(sent.at(-1) ?? 0).toBeLessThanOrEqual(marks.at(-1)?.end ?? 0)
        marks.push(m)
      },
      onSent: (b) => sent.push(b),
      onConfirmed: (b) => {
        confirmed.push(b)
      },
    })
    expect(sha256).toBe(f.sha256)
    expect(ranges).toEqual([`bytes 0-${f.size - 1}/${f.size}`])
    expect(marks.map((m) => m.end)).toEqual([STREAM_SEGMENT, 2 * STREAM_SEGMENT, f.size])
    expect(marks.at(-1)?.sha256).toBe(f.sha256)
    expect(sent.at(-1)).toBe(f.size)
    // Sent bytes moved long before storage confirmed anything.
    expect(sent.filter((b) => b < f.size).length).toBeGreaterThan(5)
    expect(confirmed).toEqual([])
    const stats = await world.stats()
    expect(stats.bytes_received).toBe(f.size)
  })

  it('reads, hashes and marks the next segment while the one before it still goes out', async () => {
    const f = await world.file('ahead.bin', 2 * STREAM_SEGMENT + 1000)
    const { url, http } = await session(f.size)
    const sent: number[] = []
    const sentAtMark: number[] = []
    // A paced link (half a second per segment, its first second's burst used up), so handing a
    // segment over takes far longer than reading the next one, even on a busy machine.
    const rate = 2 * STREAM_SEGMENT
    const throttle = createThrottle(rate)
    await throttle.take(rate)
    const { sha256 } = await uploadStreaming({
      ...sessionInput(f, { url, http }),
      expectedSha256: f.sha256,
      confirmed: 0,
      chunkSize: 8 * 1024 * 1024,
      throttle,
      onSending: () => {
        sentAtMark.push(sent.at(-1) ?? 0)
      },
      onSent: (b) => sent.push(b),
      onConfirmed: async () => undefined,
    })
    expect(sha256).toBe(f.sha256)
    expect(sentAtMark).toHaveLength(3)
    expect(sentAtMark[1]).toBeLessThan(STREAM_SEGMENT)
    expect(sentAtMark[2]).toBeLessThan(2 * STREAM_SEGMENT)
  })

  it('after a connection reset mid-stream, asks storage and streams only the rest', async () => {
    const f = await world.file('reset.bin', 3 * STREAM_SEGMENT + 777)
    const { url, http, ranges } = await session(f.size)
    await world.faults([
      { method: 'PUT', path: '/storage/session', action: 'reset', after_bytes: 5_000_000 },
    ])
    const confirmed: number[] = []
    const { sha256 } = await uploadStreaming({
      ...sessionInput(f, { url, http }),
      expectedSha256: f.sha256,
      confirmed: 0,
      chunkSize: 8 * 1024 * 1024,
      sleep: async () => {},
      onConfirmed: (b) => {
        confirmed.push(b)
      },
    })
    expect(sha256).toBe(f.sha256)
    const kept = Math.floor(5_000_000 / BLOCK) * BLOCK
    expect(ranges).toEqual([
      `bytes 0-${f.size - 1}/${f.size}`,
      `bytes */${f.size}`,
      `bytes ${kept}-${f.size - 1}/${f.size}`,
    ])
    expect(confirmed).toEqual([kept])
    const stats = await world.stats()
    // Only the part of a block that storage had not kept is sent again.
    expect(stats.bytes_received - f.size).toBeLessThan(BLOCK)
  })

  it('never sends the last segment when the file was rewritten mid-stream (mtime restored)', async () => {
    const f = await world.file('rewritten.bin', 3 * STREAM_SEGMENT)
    const { url, http, ranges } = await session(f.size)
    await expect(
      uploadStreaming({
        ...sessionInput(f, { url, http }),
        expectedSha256: f.sha256,
        confirmed: 0,
        chunkSize: 8 * 1024 * 1024,
        onSending: (m) => {
          // While the first segment goes out, a later one (not read yet) is replaced in place.
          if (m.end === STREAM_SEGMENT) rewriteInPlace(f.path, 2 * STREAM_SEGMENT + 5, f.mtimeMs)
        },
        onConfirmed: () => {},
      }),
    ).rejects.toBeInstanceOf(SourceChangedError)
    expect(ranges).toHaveLength(1)
    // Storage never received the object's last byte: the session is not finished.
    const status = await querySession(http, url, f.size)
    expect(status.kind).toBe('incomplete')
    if (status.kind === 'incomplete') expect(status.stored).toBeLessThan(f.size)
  })

  // A file opened just after it was written is read again before its last piece; one untouched
  // for long (the clock moved on) is trusted by its stamp, and read only once.
  it.each([
    ['just written', 0, 1],
    ['long untouched', 60_000, 0],
  ])(
    'without an expected hash, finishes when what was sent is the file as it is now: %s',
    async (_name, ageMs, rereads) => {
      const f = await world.file('no-expected.bin', STREAM_SEGMENT + 4000)
      const { url, http } = await session(f.size)
      const reads = vi.spyOn(ChunkReader.prototype, 'hashPrefix')
      try {
        const { sha256 } = await uploadStreaming({
          ...sessionInput(f, { url, http }),
          confirmed: 0,
          chunkSize: 8 * 1024 * 1024,
          now: () => Date.now() + ageMs,
          onConfirmed: () => {},
        })
        expect(sha256).toBe(f.sha256)
        expect(reads).toHaveBeenCalledTimes(rereads)
      } finally {
        reads.mockRestore()
      }
    },
  )

  // A rewrite with the mtime put back still moves the ctime: caught by the stamp and by a re-read.
  it.each([
    ['just written', 0],
    ['long untouched', 60_000],
  ])(
    'without an expected hash, never finishes when bytes already sent were rewritten: %s',
    async (_name, ageMs) => {
      const f = await world.file('rewritten-sent.bin', 3 * STREAM_SEGMENT + 10)
      const { url, http, ranges } = await session(f.size)
      await expect(
        uploadStreaming({
          ...sessionInput(f, { url, http }),
          confirmed: 0,
          chunkSize: 8 * 1024 * 1024,
          now: () => Date.now() + ageMs,
          onSending: (m) => {
            // The first segment is already out: its bytes are replaced, the mtime put back.
            if (m.end === 2 * STREAM_SEGMENT) rewriteInPlace(f.path, 1000, f.mtimeMs)
          },
          onConfirmed: () => {},
        }),
      ).rejects.toBeInstanceOf(SourceChangedError)
      expect(ranges).toHaveLength(1)
      const status = await querySession(http, url, f.size)
      expect(status.kind).toBe('incomplete')
    },
  )
})
