import { describe, expect, it } from 'vitest'
import { semaphore } from '../../../src/engine/plugins/semaphore.ts'

describe('semaphore', () => {
  it('never runs more than the limit at once, and runs everything in order', async () => {
    const slot = semaphore(2)
    let active = 0
    let peak = 0
    const started: number[] = []
    const gates: (() => void)[] = []
    const tasks = Array.from({ length: 6 }, (_, i) =>
      slot(async () => {
        started.push(i)
        active++
        peak = Math.max(peak, active)
        await new Promise<void>((resolve) => gates.push(resolve))
        active--
        return i
      }),
    )
    for (let round = 0; round < 6; round++) {
      await new Promise((resolve) => setImmediate(resolve))
      expect(active).toBe(Math.min(2, 6 - round))
      gates.shift()?.()
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5])
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
    expect(peak).toBe(2)
  })

  it('frees the slot when the work throws', async () => {
    const slot = semaphore(1)
    await expect(slot(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await slot(async () => 'next')).toBe('next')
  })
})
