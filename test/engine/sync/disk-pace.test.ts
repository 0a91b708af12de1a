import { describe, expect, it } from 'vitest'
import { createDiskPace, SLOW_BATCH_MS } from '../../../src/engine/sync/disk-pace.ts'

describe('createDiskPace', () => {
  it('goes asynchronous after three slow batches in a row, and stays so', () => {
    const pace = createDiskPace()
    expect(pace.sync).toBe(true)
    pace.record(SLOW_BATCH_MS + 1)
    pace.record(SLOW_BATCH_MS + 1)
    expect(pace.sync).toBe(true)
    pace.record(SLOW_BATCH_MS + 1)
    expect(pace.sync).toBe(false)
    pace.record(0)
    expect(pace.sync).toBe(false)
  })

  it('forgives a slow batch between fast ones', () => {
    const pace = createDiskPace()
    for (let i = 0; i < 10; i++) {
      pace.record(SLOW_BATCH_MS + 1)
      pace.record(SLOW_BATCH_MS + 1)
      pace.record(1)
    }
    expect(pace.sync).toBe(true)
  })
})
