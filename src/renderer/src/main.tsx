import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { connect } from './api.ts'
import { ConnectionContext } from './api-context.tsx'
import { whenFirstScreenReady } from './store/first-screen.ts'
import { syncWithHost } from './store/host-sync.ts'
import { afterFirstPaint } from './after-paint.ts'
import './styles/tokens.css'
import './styles/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const connection = connect()
syncWithHost(connection)
// Until the first screen's data is in, #root holds index.html's "Starting…" outline, or the first
// screen drawn where the engine lives (placed by Electron's preload, or sent in the host's page):
// then the app replaces it in one task, drawn once, with its data. A drawn screen is painted
// first: the app's own drawing would otherwise hold that frame back for as long as it takes.
void whenFirstScreenReady()
  .then(() =>
    root.querySelector('[data-outline]')
      ? undefined
      : new Promise<void>((resolve) => afterFirstPaint(resolve)),
  )
  .then(() => {
    root.replaceChildren()
    createRoot(root).render(
      <StrictMode>
        <ConnectionContext.Provider value={connection}>
          <App />
        </ConnectionContext.Provider>
      </StrictMode>,
    )
  })
