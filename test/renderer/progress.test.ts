import { describe, expect, it } from 'vitest'
import { progressFractions, progressText } from '../../src/renderer/src/lib/progress.ts'

describe('progress bar fractions (sent, then confirmed)', () => {
  it('shows sent bytes ahead of confirmed ones', () => {
    const f = progressFractions(0, 40, 100)
    expect(f).toEqual({ confirmed: 0, sent: 0.4 })
    expect(progressText(f)).toBe('40% sent, 0% confirmed')
  })

  it('never draws sent behind confirmed, nor past the end', () => {
    expect(progressFractions(60, 20, 100)).toEqual({ confirmed: 0.6, sent: 0.6 })
    expect(progressFractions(50, 500, 100)).toEqual({ confirmed: 0.5, sent: 1 })
    expect(progressText(progressFractions(60, undefined, 100))).toBe('60%')
  })

  it('an empty file is full when done and empty before', () => {
    expect(progressFractions(0, 0, 0, true)).toEqual({ confirmed: 1, sent: 1 })
    expect(progressFractions(0, undefined, 0)).toEqual({ confirmed: 0, sent: 0 })
  })
})
