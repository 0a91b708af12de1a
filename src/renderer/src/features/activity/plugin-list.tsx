/**
 * Plugin work in the activity list: one row per invoked asset ("Send to desktop" downloads and
 * web versions) with its plugin, state, progress and error. Virtualized like the upload list.
 */
import { memo } from 'react'
import { Download, ImagePlus, Puzzle } from 'lucide-react'
import type { PluginActivityItem } from '../../../../shared/contract.ts'
import { pluginDetail, pluginLabel, pluginStateLabel, pluginTone } from '../../lib/plugin-items.ts'
import { goTo, useAppStore } from '../../store/app-store.ts'
import { ProgressBar } from '../../ui/progress-bar.tsx'
import { EmptyState } from '../../ui/states.tsx'
import { FixedRowList } from '../../ui/fixed-row-list.tsx'

const rowHeight = 64

/** One plugin item. */
const PluginRow = memo(function PluginRow({ item }: { readonly item: PluginActivityItem }) {
  const state = item.state
  const tone = pluginTone(state)
  const label = pluginStateLabel(state)
  const detail = pluginDetail(state)
  const failed = state.kind === 'failed'
  return (
    <div
      className={`job-row job-${tone}`}
      data-state={state.kind}
      data-plugin={item.plugin}
      aria-label={`${item.title}: ${pluginLabel(item.plugin)}, ${label}`}
      role="listitem"
    >
      <div className="thumb thumb-icon" aria-hidden>
        {item.plugin === 'send-to-desktop' ? <Download size={18} /> : <ImagePlus size={18} />}
      </div>
      <div className="job-main">
        <div className="job-line">
          <span className="job-title" title={item.title}>
            {item.title}
          </span>
          <span className="chip">{pluginLabel(item.plugin)}</span>
          <span className={`chip chip-${tone}`}>{label}</span>
        </div>
        {state.kind === 'downloading' && (
          <ProgressBar
            value={state.bytesDone}
            max={state.bytesTotal ?? 0}
            label={`${item.title} progress`}
          />
        )}
        <p className={`job-detail${failed ? ' field-error' : ''}`} title={detail}>
          {detail}
        </p>
      </div>
    </div>
  )
})

/** The plugin view of the activity screen. */
export function PluginList() {
  const items = useAppStore((s) => s.pluginItems)
  const enabled = useAppStore((s) => s.plugins?.enabled ?? false)
  if (items.length === 0) {
    return (
      <EmptyState icon={<Puzzle size={22} />} title="No plugin work yet">
        {enabled ? (
          'Use “Send to desktop” or “Make web versions” in Playbook; the work shows up here.'
        ) : (
          <>
            The plugin host is off.{' '}
            <button type="button" className="link" onClick={() => goTo('settings')}>
              Turn it on in settings
            </button>
            .
          </>
        )}
      </EmptyState>
    )
  }
  return (
    <FixedRowList
      count={items.length}
      rowHeight={rowHeight}
      rowKey={(index) => items[index]?.id ?? index}
      renderRow={(index) => {
        const item = items[index]
        return item && <PluginRow item={item} />
      }}
      label="Plugin activity"
    />
  )
}
