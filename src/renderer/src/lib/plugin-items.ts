/**
 * Plugin activity as the activity list shows it: merging batched updates into the list (newest
 * first, bounded) and the words for each state. Pure, so it is tested without a DOM.
 */
import type { PluginActivityItem, PluginItemState, PluginName } from '../../../shared/contract.ts'
import { assertNever } from '../../../shared/assert-never.ts'
import { formatBytes } from './format.ts'

/** Rows kept in the renderer; older finished ones fall off (the host keeps its own record). */
export const maxPluginItems = 1000

/**
 * Applies updates (the latest per id wins). Rows keep their place while they move on, so the list
 * does not jump; new invocations go on top, their assets in the order Playbook sent them.
 * At most `maxPluginItems` rows.
 */
export function mergePluginItems(
  current: readonly PluginActivityItem[],
  updates: readonly PluginActivityItem[],
): readonly PluginActivityItem[] {
  const known = new Map(current.map((item) => [item.id, item]))
  const latest = new Map<string, PluginActivityItem>()
  for (const item of updates) {
    const previous = latest.get(item.id) ?? known.get(item.id)
    if (!previous || previous.updatedAt <= item.updatedAt) latest.set(item.id, item)
  }
  const kept = current.map((item) => latest.get(item.id) ?? item)
  const groups = new Map<string, PluginActivityItem[]>()
  for (const item of latest.values()) {
    if (known.has(item.id)) continue
    const group = groups.get(item.invocationToken) ?? []
    group.push(item)
    groups.set(item.invocationToken, group)
  }
  const fresh = [...groups.values()].reverse().flat()
  return [...fresh, ...kept].slice(0, maxPluginItems)
}

/** The plugin's name as people read it. */
export function pluginLabel(plugin: PluginName): string {
  switch (plugin) {
    case 'send-to-desktop':
      return 'Send to desktop'
    case 'web-versions':
      return 'Web version'
    default:
      return assertNever(plugin, 'plugin')
  }
}

/** A short word for the state chip. */
export function pluginStateLabel(state: PluginItemState): string {
  switch (state.kind) {
    case 'queued':
      return 'Waiting'
    case 'downloading':
      return 'Downloading'
    case 'converting':
      return 'Converting'
    case 'uploading':
      return 'Uploading'
    case 'done':
      return 'Done'
    case 'skipped':
      return 'Skipped'
    case 'failed':
      return 'Failed'
    default:
      return assertNever(state, 'plugin item state')
  }
}

/** The chip and bar colour. */
export function pluginTone(state: PluginItemState): 'active' | 'done' | 'failed' | 'paused' {
  switch (state.kind) {
    case 'done':
      return 'done'
    case 'failed':
      return 'failed'
    case 'skipped':
      return 'paused'
    case 'queued':
    case 'downloading':
    case 'converting':
    case 'uploading':
      return 'active'
    default:
      return assertNever(state, 'plugin item state')
  }
}

/** The detail line: progress, where the file went, or why it failed. */
export function pluginDetail(state: PluginItemState): string {
  switch (state.kind) {
    case 'queued':
      return 'Waiting for a free slot'
    case 'downloading':
      return state.bytesTotal === null
        ? `${formatBytes(state.bytesDone)} so far`
        : `${formatBytes(state.bytesDone)} of ${formatBytes(state.bytesTotal)}`
    case 'converting':
      return 'Making a 2000 px WebP'
    case 'uploading':
      return 'Adding it to the board'
    case 'done':
      return state.path
        ? `Saved to ${state.path}`
        : state.createdAssetToken
          ? 'Added to the board next to its source'
          : 'Finished'
    case 'skipped':
    case 'failed':
      return state.reason
    default:
      return assertNever(state, 'plugin item state')
  }
}
