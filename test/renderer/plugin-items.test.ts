import { describe, expect, it } from 'vitest'
import type { PluginActivityItem, PluginItemState } from '../../src/shared/contract.ts'
import {
  maxPluginItems,
  mergePluginItems,
  pluginDetail,
  pluginStateLabel,
  pluginTone,
} from '../../src/renderer/src/lib/plugin-items.ts'

const item = (
  invocation: string,
  index: number,
  state: PluginItemState,
  updatedAt: number,
): PluginActivityItem => ({
  id: `${invocation}:${index}`,
  plugin: 'send-to-desktop',
  invocationToken: invocation,
  assetToken: `a${index}`,
  title: `asset-${index}.png`,
  state,
  updatedAt,
})

const queued: PluginItemState = { kind: 'queued' }
const ids = (items: readonly PluginActivityItem[]) => items.map((i) => i.id)

describe('plugin activity rows', () => {
  it('puts new invocations on top with their assets in order, and keeps rows in place as they move', () => {
    const first = mergePluginItems([], [item('inv1', 0, queued, 1), item('inv1', 1, queued, 1)])
    expect(ids(first)).toEqual(['inv1:0', 'inv1:1'])
    const second = mergePluginItems(first, [
      item('inv1', 1, { kind: 'downloading', bytesDone: 5, bytesTotal: 10 }, 2),
      item('inv2', 0, queued, 3),
    ])
    expect(ids(second)).toEqual(['inv2:0', 'inv1:0', 'inv1:1'])
    expect(second[2]?.state.kind).toBe('downloading')
  })

  it('never lets an older update replace a newer one', () => {
    const done = item('inv1', 0, { kind: 'done', path: '/d/a.png' }, 10)
    const stale = item('inv1', 0, { kind: 'downloading', bytesDone: 1, bytesTotal: 2 }, 9)
    expect(mergePluginItems([done], [stale])[0]?.state.kind).toBe('done')
    expect(mergePluginItems([], [done, stale])[0]?.state.kind).toBe('done')
  })

  it('keeps at most the newest rows', () => {
    const many = Array.from({ length: maxPluginItems + 5 }, (_, i) => item(`inv${i}`, 0, queued, i))
    const merged = mergePluginItems([], many)
    expect(merged).toHaveLength(maxPluginItems)
    expect(merged[0]?.id).toBe(`inv${maxPluginItems + 4}:0`)
  })

  it('says what each state means', () => {
    expect(pluginStateLabel({ kind: 'failed', reason: 'HTTP 404' })).toBe('Failed')
    expect(pluginDetail({ kind: 'failed', reason: 'HTTP 404' })).toBe('HTTP 404')
    expect(pluginTone({ kind: 'failed', reason: 'x' })).toBe('failed')
    expect(pluginDetail({ kind: 'done', path: '/d/a.png' })).toBe('Saved to /d/a.png')
    expect(pluginDetail({ kind: 'done', createdAssetToken: 'w1' })).toMatch(/board/)
    expect(pluginDetail({ kind: 'downloading', bytesDone: 0, bytesTotal: null })).toMatch(/so far/)
    expect(pluginTone({ kind: 'skipped', reason: 'not an image' })).toBe('paused')
  })
})
