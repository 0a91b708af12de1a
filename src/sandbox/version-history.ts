/**
 * The web view's version history of one asset (assumed versions route): "v3 · 3 versions" with
 * each version's size and time, newest first, so a person can see what a save did to the board.
 */
import { escapeHtml } from './http-util.ts'
import type { Asset } from './model.ts'

/** HTML for an asset's versions; empty when it has only its first upload. */
export function versionHistory(asset: Asset): string {
  const versions = asset.versions ?? []
  if (versions.length < 2) return ''
  const items = [...versions]
    .reverse()
    .map(
      (v) =>
        `<li data-version="${v.number}">v${v.number} · ${escapeHtml(v.size === null ? '' : `${v.size} B`)} · ${escapeHtml(v.created_at)}</li>`,
    )
    .join('')
  const latest = versions[versions.length - 1]?.number ?? versions.length
  return `<details class="versions"><summary>v${latest} · ${versions.length} versions</summary><ol reversed>${items}</ol></details>`
}
