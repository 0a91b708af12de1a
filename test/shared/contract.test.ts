import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as contractApi from '../../src/shared/contract-api.ts'
import {
  createPlaybookApi,
  invokeChannels,
  isInvokeChannel,
  type ContractTransport,
} from '../../src/shared/contract.ts'

describe('contract', () => {
  it('routes invoke calls and events through the transport it is given', async () => {
    const calls: Array<[string, unknown]> = []
    const listeners = new Map<string, (p: unknown) => void>()
    const transport: ContractTransport = {
      invoke: async (channel, payload) => {
        calls.push([channel, payload])
        return { kind: 'signed-out' }
      },
      subscribe: (channel, listener) => {
        listeners.set(channel, listener)
        return () => listeners.delete(channel)
      },
    }
    const api = createPlaybookApi(transport)
    await expect(api.invoke('session:get')).resolves.toEqual({ kind: 'signed-out' })
    expect(calls).toEqual([['session:get', undefined]])
    const seen: unknown[] = []
    const off = api.on('session:changed', (s) => seen.push(s))
    listeners.get('session:changed')?.({ kind: 'signed-out' })
    off()
    expect(seen).toEqual([{ kind: 'signed-out' }])
    expect(listeners.size).toBe(0)
  })

  it('knows its channels and refuses unknown ones', () => {
    expect(isInvokeChannel('session:get')).toBe(true)
    expect(isInvokeChannel('__proto__')).toBe(false)
    expect(isInvokeChannel('fs:delete')).toBe(false)
    expect(invokeChannels['app:info'].request.safeParse({ evil: 1 }).success).toBe(false)
  })
})

describe('contract API module', () => {
  it('carries no schemas: the renderer and preload load it without the validator', async () => {
    const source = await readFile(
      join(import.meta.dirname, '..', '..', 'src', 'shared', 'contract-api.ts'),
      'utf8',
    )
    const imports = source.split('\n').filter((line) => /^import\b/.test(line))
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.every((line) => line.startsWith('import type '))).toBe(true)
    expect(contractApi.createPlaybookApi).toBe(createPlaybookApi)
  })
})
