import { describe, expect, it } from 'vitest'
import {
  CHUNK_UNIT,
  DEFAULT_CHUNK_SIZE,
  normalizeChunkSize,
} from '../../../src/engine/transfer/chunk-size.ts'
import { storedFromRange } from '../../../src/engine/transfer/gcs-session.ts'
import { createSpeedMeter } from '../../../src/engine/transfer/speed-meter.ts'
import { createThrottle } from '../../../src/engine/transfer/throttle.ts'
import { ingestState, pollDelayMs } from '../../../src/engine/transfer/url-ingest.ts'
import { assetSchema } from '../../../src/engine/playbook/schemas.ts'

describe('chunk size', () => {
  it('rounds down to a multiple of 256 KiB, at least one unit', () => {
    expect(normalizeChunkSize(undefined)).toBe(DEFAULT_CHUNK_SIZE)
    expect(normalizeChunkSize(8 * 1024 * 1024)).toBe(8 * 1024 * 1024)
    expect(normalizeChunkSize(1_000_000)).toBe(3 * CHUNK_UNIT)
    expect(normalizeChunkSize(1)).toBe(CHUNK_UNIT)
    expect(normalizeChunkSize(Number.NaN)).toBe(DEFAULT_CHUNK_SIZE)
    expect(normalizeChunkSize(10 ** 12) % CHUNK_UNIT).toBe(0)
  })
})

describe('Range header', () => {
  it('reads N+1 stored bytes from bytes=0-N, 0 without a header', () => {
    expect(storedFromRange('bytes=0-262143')).toBe(262144)
    expect(storedFromRange(undefined)).toBe(0)
    expect(storedFromRange('garbage')).toBe(0)
  })
})

describe('throttle', () => {
  it('lets a burst of one second through, then paces to the rate', async () => {
    let t = 0
    const waits: number[] = []
    const throttle = createThrottle(1000, {
      now: () => t,
      sleep: async (ms) => {
        waits.push(Math.round(ms))
        t += ms
      },
    })
    await throttle.take(1000)
    expect(waits).toEqual([])
    await throttle.take(500)
    expect(waits).toEqual([500])
    t += 2000
    await throttle.take(1000)
    expect(waits).toEqual([500])
  })

  it('is shared: two takers at once get the rate between them', async () => {
    const waits: number[] = []
    const throttle = createThrottle(100, {
      now: () => 0,
      sleep: async (ms) => void waits.push(Math.round(ms)),
    })
    await throttle.take(100)
    await Promise.all([throttle.take(100), throttle.take(100)])
    // 200 more bytes at 100 B/s: the first may go after 1 s, the second after 2 s.
    expect(waits).toEqual([1000, 2000])
  })

  it('refuses a non-positive rate', () => {
    expect(() => createThrottle(0)).toThrow(/positive/)
  })

  it('changes its rate in place: a lower cap paces the next take, 0 lifts it, negative is refused', async () => {
    let t = 0
    const waits: number[] = []
    const throttle = createThrottle(1000, {
      now: () => t,
      sleep: async (ms) => {
        waits.push(Math.round(ms))
        t += ms
      },
    })
    await throttle.take(1000)
    throttle.setRate(100)
    expect(throttle.bytesPerSecond).toBe(100)
    // The bucket was empty at the old rate; 100 bytes at 100 B/s wait one second, not 0.1 s.
    await throttle.take(100)
    expect(waits).toEqual([1000])
    // Credit saved at a higher rate is capped at one second of the new one.
    throttle.setRate(10_000)
    t += 5000
    throttle.setRate(100)
    await throttle.take(300)
    expect(waits).toEqual([1000, 2000])
    throttle.setRate(0)
    await throttle.take(1_000_000)
    expect(waits).toEqual([1000, 2000])
    expect(() => throttle.setRate(-1)).toThrow(/0 \(no cap\) or more/)
  })
})

describe('speed meter and poll cadence', () => {
  it('measures bytes per second over its window', () => {
    let t = 0
    const meter = createSpeedMeter(() => t, 5000)
    expect(meter.speed()).toBe(0)
    meter.record(0)
    t = 1000
    meter.record(500)
    t = 2000
    meter.record(1500)
    expect(meter.speed()).toBe(750)
    t = 10_000
    expect(meter.speed()).toBe(0)
  })

  it('polls at 1–2 s first, backing off to a minute', () => {
    expect(pollDelayMs(0)).toBe(1500)
    expect(pollDelayMs(1)).toBeLessThanOrEqual(2500)
    expect(pollDelayMs(50)).toBe(60_000)
  })
})

describe('URL ingest terminal states (seed 003)', () => {
  const asset = (fields: Record<string, unknown>) => assetSchema.parse({ token: 't', ...fields })
  it('finishes on media_type, a link or a source_error; anything else is still fetching', () => {
    expect(ingestState(asset({ is_skeleton: true, media_type: 'image/png' }))).toEqual({
      kind: 'pending',
    })
    expect(ingestState(asset({ is_skeleton: false, media_type: 'image/png' }))).toEqual({
      kind: 'done',
    })
    expect(ingestState(asset({ is_skeleton: false, is_link: true }))).toEqual({ kind: 'done' })
    expect(ingestState(asset({ is_skeleton: false, source_error: '404 from source' }))).toEqual({
      kind: 'failed',
      reason: 'Playbook could not ingest the URL: 404 from source',
    })
    // Not a terminal state in the seed: no media type, no error, not a link.
    expect(ingestState(asset({ is_skeleton: false, media_type: null }))).toEqual({
      kind: 'pending',
    })
    // An error that is not text is still an error.
    expect(ingestState(asset({ is_skeleton: false, source_error: { code: 415 } }))).toEqual({
      kind: 'failed',
      reason: 'Playbook could not ingest the URL: {"code":415}',
    })
  })
})
