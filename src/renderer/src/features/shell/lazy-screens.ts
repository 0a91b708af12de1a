/**
 * The screens not shown at start-up, loaded on demand: the activity screen is all a signed-in
 * start needs, so the folders, issues, boards and settings screens (settings brings the
 * contract's request schemas) and the sign-in screens are parsed only when shown, or in the idle
 * time after the first frame (`preloadScreens`) so moving to them later shows no loading state.
 */
import { lazyComponent } from '../../ui/lazy-component.tsx'

/** Folders. */
export const LazyPairsScreen = lazyComponent(() =>
  import('../pairs/pairs-screen.tsx').then((m) => m.PairsScreen),
)
/** Sync issues. */
export const LazyIssuesScreen = lazyComponent(() =>
  import('../issues/issues-screen.tsx').then((m) => m.IssuesScreen),
)
/** Boards. */
export const LazyBoardsScreen = lazyComponent(() =>
  import('../boards/boards-screen.tsx').then((m) => m.BoardsScreen),
)
/** Settings. */
export const LazySettingsScreen = lazyComponent(() =>
  import('../settings/settings-screen.tsx').then((m) => m.SettingsScreen),
)
/** Plugin work on the activity screen. */
export const LazyPluginList = lazyComponent(() =>
  import('../activity/plugin-list.tsx').then((m) => m.PluginList),
)
/** Signing in. */
export const LazySignInScreen = lazyComponent(() =>
  import('../sign-in/sign-in-screen.tsx').then((m) => m.SignInScreen),
)
/** Picking an organization after signing in. */
export const LazyOrgPicker = lazyComponent(() =>
  import('../sign-in/org-picker.tsx').then((m) => m.OrgPicker),
)

const all = [
  LazyPairsScreen,
  LazyIssuesScreen,
  LazyBoardsScreen,
  LazySettingsScreen,
  LazyPluginList,
  LazySignInScreen,
  LazyOrgPicker,
]

let preloading = false

/**
 * Loads every screen's code a moment after the first screen is on the page, when the page is
 * idle: the first seconds belong to the list the user is looking at (and the updates to it).
 */
export function preloadScreens(): void {
  if (preloading) return
  preloading = true
  const load = () => {
    for (const screen of all) screen.preload().catch(() => {})
  }
  setTimeout(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 2000 })
    else load()
  }, 1000)
}
