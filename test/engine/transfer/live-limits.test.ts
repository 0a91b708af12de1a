import { describe, expect, it } from 'vitest'
import { createUploadLanes } from '../../../src/engine/transfer/upload-lanes.ts'

// "Files at once" changed while uploads run: the lanes are resized in place; running uploads
// finish, new ones start only under the new count.

describe('upload lanes resized live', () => {
  it('lets a second large upload start after growing, and none after shrinking', () => {
    const lanes = createUploadLanes({ concurrency: 1, smallMaxBytes: 10 })
    lanes.started('a', 100)
    expect(lanes.canStart(100)).toBe(false)
    const aheadBefore = lanes.ahead
    lanes.resize(2)
    expect(lanes.canStart(100)).toBe(true)
    expect(lanes.ahead).toBeGreaterThan(aheadBefore)
    lanes.started('b', 100)
    lanes.resize(1)
    expect(lanes.canStart(100)).toBe(false)
    lanes.ended('a')
    expect(lanes.canStart(100)).toBe(false)
    lanes.ended('b')
    expect(lanes.canStart(100)).toBe(true)
  })
})
