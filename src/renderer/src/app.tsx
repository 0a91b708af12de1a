/** The renderer's root: picks the screen from the mirrored session and connection state. */
import { Suspense, useContext } from 'react'
import { RefreshCw, Unplug } from 'lucide-react'
import { assertNever } from '../../shared/assert-never.ts'
import { useApi } from './api-context.tsx'
import { FirstScreenDrawing } from './first-screen-drawing.ts'
import { AppShell } from './features/shell/app-shell.tsx'
import { LazyOrgPicker, LazySignInScreen } from './features/shell/lazy-screens.ts'
import { UpdateBanner } from './features/update/update-banner.tsx'
import { useAppStore } from './store/app-store.ts'
import { loadAll } from './store/host-sync.ts'
import { Button } from './ui/button.tsx'
import { ErrorState, LoadingState } from './ui/states.tsx'
import { Toasts } from './ui/toasts.tsx'

/** "Starting…": while the session loads, and while the sign-in screen's code arrives. */
function StartingUp() {
  return (
    <main className="centered" aria-labelledby="app-title">
      <h1 id="app-title" className="visually-hidden">
        Playbook Sync
      </h1>
      <LoadingState label="Starting…" />
    </main>
  )
}

function Body() {
  const api = useApi()
  const session = useAppStore((s) => s.session)
  const connection = useAppStore((s) => s.connection)
  const loadError = useAppStore((s) => s.loadError)
  if (session === null) {
    if (loadError || connection === 'closed') {
      return (
        <main className="centered" aria-labelledby="app-title">
          <h1 id="app-title" className="visually-hidden">
            Playbook Sync
          </h1>
          <ErrorState
            title="Can’t reach Playbook Sync"
            message={loadError ?? 'The sync engine is not answering. It will reconnect by itself.'}
            action={
              <Button icon={<RefreshCw size={16} aria-hidden />} onClick={() => void loadAll(api)}>
                Try again
              </Button>
            }
          />
        </main>
      )
    }
    return <StartingUp />
  }
  switch (session.kind) {
    case 'signed-out':
    case 'waiting-for-link':
    case 'expired':
      return <LazySignInScreen.Component session={session} />
    case 'signed-in':
      return session.org ? <AppShell /> : <LazyOrgPicker.Component />
    default:
      return assertNever(session, 'session')
  }
}

/**
 * The whole app: the current screen, a banner while the host is unreachable, and toasts. Toasts
 * sit below the screen in the page's flow (the screen's scroll area gives them room), so a toast
 * never covers a control, least of all the one it is about.
 */
export function App() {
  const connection = useAppStore((s) => s.connection)
  const session = useAppStore((s) => s.session)
  // Drawn outside a browser, the screen is a picture until the app takes over.
  const drawn = useContext(FirstScreenDrawing) !== null
  return (
    <div
      className="app-frame"
      inert={drawn || undefined}
      aria-hidden={drawn || undefined}
      data-first-screen={drawn || undefined}
    >
      {connection === 'closed' && session !== null && (
        <div className="banner banner-warning top-banner" role="alert">
          <Unplug size={16} aria-hidden /> Lost the connection to the sync engine. Reconnecting…
        </div>
      )}
      <UpdateBanner />
      <div className="app-body">
        <Suspense fallback={<StartingUp />}>
          <Body />
        </Suspense>
      </div>
      <Toasts />
    </div>
  )
}
