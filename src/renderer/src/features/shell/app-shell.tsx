/** The signed-in frame: a sidebar with the screens and the sync status, and the current screen. */
import type { ReactNode } from 'react'
import { Activity, FolderSync, LayoutGrid, Settings } from 'lucide-react'
import { goTo, useAppStore, type Screen } from '../../store/app-store.ts'
import { ActivityScreen } from '../activity/activity-screen.tsx'
import { BoardsScreen } from '../boards/boards-screen.tsx'
import { PairsScreen } from '../pairs/pairs-screen.tsx'
import { SettingsScreen } from '../settings/settings-screen.tsx'
import { DropTarget } from './drop-target.tsx'

const nav: readonly { screen: Screen; label: string; icon: ReactNode }[] = [
  { screen: 'activity', label: 'Activity', icon: <Activity size={16} aria-hidden /> },
  { screen: 'pairs', label: 'Folders', icon: <FolderSync size={16} aria-hidden /> },
  { screen: 'boards', label: 'Boards', icon: <LayoutGrid size={16} aria-hidden /> },
  { screen: 'settings', label: 'Settings', icon: <Settings size={16} aria-hidden /> },
]

function StatusLine() {
  const totals = useAppStore((s) => s.totals)
  const session = useAppStore((s) => s.session)
  const org = session?.kind === 'signed-in' ? session.org : null
  let text = 'Up to date'
  let tone = 'done'
  if (totals?.paused) {
    text = 'Paused'
    tone = 'paused'
  } else if (totals && totals.active + totals.queued > 0) {
    text = `Syncing ${(totals.active + totals.queued).toLocaleString('en-US')}`
    tone = 'active'
  } else if (totals && totals.failed > 0) {
    text = `${totals.failed.toLocaleString('en-US')} failed`
    tone = 'failed'
  }
  return (
    <div className="status-line">
      <p className={`status status-${tone}`} role="status">
        <span className="status-dot" aria-hidden />
        {text}
      </p>
      {org && (
        <p className="muted small org-name" title={org.name}>
          {org.name}
          {session?.kind === 'signed-in' && session.sandbox ? ' · sandbox' : ''}
        </p>
      )}
    </div>
  )
}

/** The shell around the screens. */
export function AppShell() {
  const screen = useAppStore((s) => s.screen)
  const failed = useAppStore((s) => s.totals?.failed ?? 0)
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="sidebar-brand">
          <div className="brand-mark small" aria-hidden />
          <span>Playbook Sync</span>
        </div>
        <ul>
          {nav.map((item) => (
            <li key={item.screen}>
              <button
                type="button"
                className={`nav-item${screen === item.screen ? ' active' : ''}`}
                aria-current={screen === item.screen ? 'page' : undefined}
                onClick={() => goTo(item.screen)}
              >
                {item.icon}
                <span>{item.label}</span>
                {item.screen === 'activity' && failed > 0 && (
                  <span className="badge" aria-label={`${failed} failed`}>
                    {failed}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
        <StatusLine />
      </nav>
      <div className="content">
        {screen === 'activity' && <ActivityScreen />}
        {screen === 'pairs' && <PairsScreen />}
        {screen === 'boards' && <BoardsScreen />}
        {screen === 'settings' && <SettingsScreen />}
      </div>
      <DropTarget />
    </div>
  )
}
