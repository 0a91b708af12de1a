/**
 * Plugin activity as the activity list shows it: merging batched updates into the list (newest
 * first, bounded) and the words for each state. Pure, so it is tested without a DOM.
 */
import type { PluginActivityItem, PluginItemState, PluginName } from '../../../shared/contract.ts'
import { assertNever } from '../../../shared/assert-never.ts'
import { formatBytes } from './format.ts'

/** Rows kept in the renderer; older finished ones fall off (the host keeps its own record). */
export const maxPluginItems = 1000

/** Applies updates (latest per id wins); newest first, at most `maxPluginItems`. */
export function mergePluginItems(
  current: readonly PluginActivityItem[],
  updates: readonly PluginActivityItem[],
): readonly PluginActivityItem[] {
  const byId = new Map(current.map((item) => [item.id, item]))
  for (const item of updates) {
    const known = byId.get(item.id)
    if (!known || known.updatedAt <= item.updatedAt) byId.set(item.id, item)
  }
  return [...byId.values()]
    .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, maxPluginItems)
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
