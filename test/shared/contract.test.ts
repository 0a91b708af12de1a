import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
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

/** The contract modules a page may load as values: no schema, no validator. */
const schemaFree = ['contract-api.ts', 'contract-models.ts', 'contract-wire.ts']
const srcDir = join(import.meta.dirname, '..', '..', 'src')

/** Every import statement of `source` (one or many lines): whether type-only, and from where. */
function importsOf(source: string): { typeOnly: boolean; from: string }[] {
  return [...source.matchAll(/^import\s(type\s)?[\s\S]*?\sfrom\s'([^']+)'/gm)].map((m) => ({
    typeOnly: m[1] !== undefined,
    from: m[2] ?? '',
  }))
}

describe('the contract stays out of the page', () => {
  it('keeps its schema-free parts free of the validator', async () => {
    for (const name of schemaFree) {
      const source = await readFile(join(srcDir, 'shared', name), 'utf8')
      const values = importsOf(source).filter((i) => !i.typeOnly)
      expect(values, name).toEqual([])
    }
  })

  it('gives the renderer, the preload and the browser client only types from the schemas', async () => {
    const pageDirs = [
      join(srcDir, 'renderer'),
      join(srcDir, 'preload'),
      join(srcDir, 'host', 'client'),
    ]
    const offenders: string[] = []
    let seen = 0
    for (const dir of pageDirs) {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true })
      for (const entry of entries) {
        if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue
        const file = join(entry.parentPath, entry.name)
        for (const found of importsOf(await readFile(file, 'utf8'))) {
          const module = /\/shared\/(contract(?:-[a-z]+)?\.ts)$/.exec(found.from)?.[1]
          if (module === undefined) continue
          seen++
          if (!found.typeOnly && !schemaFree.includes(module))
            offenders.push(`${relative(srcDir, file)}: ${module}`)
        }
      }
    }
    expect(seen).toBeGreaterThan(5)
    expect(offenders).toEqual([])
  })
})
