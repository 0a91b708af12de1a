import { describe, expect, it } from 'vitest'
import { createShutdown } from '../../src/main/shutdown.ts'

describe('bounded quit', () => {
  it('finishes when closing settles', async () => {
    const seen: string[] = []
    const finished = new Promise<void>((resolve) => {
      const s = createShutdown({
        boundMs: 60_000,
        onTimeout: () => seen.push('timeout'),
        finish: resolve,
      })
      s.begin(() => [Promise.resolve(1), Promise.reject(new Error('x'))])
      s.begin(() => {
        seen.push('second begin')
        return []
      })
    })
    await finished
    expect(seen).toEqual([])
  })

  it('finishes at the bound when a close never settles', async () => {
    const seen: string[] = []
    await new Promise<void>((resolve) => {
      const s = createShutdown({
        boundMs: 10,
        onTimeout: () => seen.push('timeout'),
        finish: resolve,
      })
      s.begin(() => [new Promise(() => {})])
    })
    expect(seen).toEqual(['timeout'])
  })
})
