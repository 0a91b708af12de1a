/** The signed-in frame: a sidebar with the screens and the sync status, and the current screen. */
import { Suspense, useEffect, useRef, type ReactNode, type RefObject } from 'react'
import { Activity, CircleAlert, FolderSync, LayoutGrid, Settings } from 'lucide-react'
import { describeWait } from '../../../../shared/plain-words.ts'
import { formatCount } from '../../lib/format.ts'
import { goTo, useAppStore, type Screen } from '../../store/app-store.ts'
import { ActivityScreen } from '../activity/activity-screen.tsx'
import { useNow } from '../../ui/use-now.ts'
import { LoadingState } from '../../ui/states.tsx'
import { DropTarget } from './drop-target.tsx'
import { DropBoardDialog } from './drop-board-dialog.tsx'
import {
  LazyBoardsScreen,
  LazyIssuesScreen,
  LazyPairsScreen,
  LazySettingsScreen,
  preloadScreens,
} from './lazy-screens.ts'

const nav: readonly { screen: Screen; label: string; icon: ReactNode }[] = [
  { screen: 'activity', label: 'Activity', icon: <Activity size={16} aria-hidden /> },
  { screen: 'pairs', label: 'Folders', icon: <FolderSync size={16} aria-hidden /> },
  { screen: 'issues', label: 'Sync issues', icon: <CircleAlert size={16} aria-hidden /> },
  { screen: 'boards', label: 'Boards', icon: <LayoutGrid size={16} aria-hidden /> },
  { screen: 'settings', label: 'Settings', icon: <Settings size={16} aria-hidden /> },
]

const tones: Readonly<Record<string, string>> = {
  'no-folders': 'done',
  'up-to-date': 'done',
  syncing: 'active',
  waiting: 'paused',
  attention: 'failed',
  paused: 'paused',
  'signed-out': 'paused',
}

/** The engine's overall status (the same words as the folder cards and the tray), counting down. */
function StatusLine() {
  const overview = useAppStore((s) => s.overview)
  const totals = useAppStore((s) => s.totals)
  const session = useAppStore((s) => s.session)
  const now = useNow(1000)
  const org = session?.kind === 'signed-in' ? session.org : null
  let text = overview?.headline ?? 'Loading…'
  if (overview?.wait && overview.kind === 'waiting')
    text = describeWait(overview.wait, now).headline
  // Dropped files outside folders still move through the queue: say so when folders are quiet.
  if (overview?.kind === 'no-folders' && totals && totals.active + totals.queued > 0)
    text = `Uploading ${formatCount(totals.active + totals.queued)} dropped files`
  const tone = overview ? (tones[overview.kind] ?? 'done') : 'active'
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

/**
 * Moves focus to the screen's heading once the screen is on the page (after sign-in and on every
 * screen change; keyed by screen). Inside the Suspense boundary, so a screen whose code is still
 * loading is focused when it arrives, not before.
 */
function FocusHeading({
  main,
  children,
}: {
  readonly main: RefObject<HTMLElement | null>
  readonly children: ReactNode
}) {
  useEffect(() => {
    const heading = main.current?.querySelector<HTMLElement>('h1')
    // A screen that put focus somewhere useful itself (an opened panel's first field) keeps it.
    if (!heading || main.current?.contains(document.activeElement)) return
    heading.tabIndex = -1
    heading.focus({ preventScroll: true })
  }, [main])
  return children
}

/** The shell around the screens. */
export function AppShell() {
  const screen = useAppStore((s) => s.screen)
  const main = useRef<HTMLElement>(null)
  // The other screens' code loads after the first frame, while the user looks at this one.
  useEffect(preloadScreens, [])
  const failed = useAppStore((s) => s.totals?.failed ?? 0)
  const issues = useAppStore((s) => s.overview?.issues ?? 0)
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
                {item.screen === 'issues' && issues > 0 && (
                  <span className="badge" aria-label={`${issues} need attention`}>
                    {issues}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
        <StatusLine />
      </nav>
      <main className="content" ref={main}>
        <Suspense fallback={<LoadingState label="Loading…" />}>
          <FocusHeading key={screen} main={main}>
            {screen === 'activity' && <ActivityScreen />}
            {screen === 'pairs' && <LazyPairsScreen.Component />}
            {screen === 'issues' && <LazyIssuesScreen.Component />}
            {screen === 'boards' && <LazyBoardsScreen.Component />}
            {screen === 'settings' && <LazySettingsScreen.Component />}
          </FocusHeading>
        </Suspense>
      </main>
      <DropTarget />
      <DropBoardDialog />
    </div>
  )
}
