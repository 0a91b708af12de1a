import { describe, expect, it } from 'vitest'
import { createContractHandlers } from '../../src/engine/contract-handlers.ts'
import type { HandlerPlatform } from '../../src/engine/contract-handlers.ts'
import type { Engine } from '../../src/engine/engine-types.ts'
import { eventChannels, invokeChannels, parseRequest } from '../../src/shared/contract.ts'

// The handlers are put together from one file per feature; nothing may fall between them. Building
// them reads neither the engine nor the platform, so empty stand-ins are enough to list them.

describe('the contract handlers', () => {
  const handlers = createContractHandlers({} as Engine, {} as HandlerPlatform)

  it('have exactly one handler for every invoke channel, and none for anything else', () => {
    const channels = Object.keys(invokeChannels).sort()
    expect(Object.keys(handlers).sort()).toEqual(channels)
    for (const channel of channels)
      expect(typeof (handlers as Record<string, unknown>)[channel], channel).toBe('function')
  })

  it('give every invoke channel a request schema that refuses what it does not know', () => {
    for (const [channel, { request }] of Object.entries(invokeChannels)) {
      expect(typeof request.safeParse, channel).toBe('function')
      expect(request.safeParse({ unknownField: 1 }).success, channel).toBe(false)
      expect(() =>
        parseRequest(channel as keyof typeof invokeChannels, { unknownField: 1 }),
      ).toThrow(new RegExp(`^${channel}: `))
    }
    expect(Object.keys(eventChannels).length).toBeGreaterThan(0)
  })

  it('refuse a folder that is no longer synced in the same words, whichever channel asks', async () => {
    // A stand-in engine that has no pairs: the lookups must refuse before reaching anything else.
    const noPairs = createContractHandlers(
      { pairs: () => [] } as unknown as Engine,
      {
        revealPath: async () => {},
      } as unknown as HandlerPlatform,
    )
    const gone = /^That folder is no longer synced$/
    await expect(async () => noPairs['pairs:pause']({ id: 'p1' })).rejects.toThrow(gone)
    await expect(async () => noPairs['pairs:map-preview']({ id: 'p1' })).rejects.toThrow(gone)
    await expect(async () =>
      noPairs['issues:reveal']({ pairId: 'p1', relPath: 'a.txt' }),
    ).rejects.toThrow(gone)
  })
})
