import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { connect } from './api.ts'
import { ConnectionContext } from './api-context.tsx'
import { whenFirstScreenReady } from './store/first-screen.ts'
import { syncWithHost } from './store/host-sync.ts'
import './styles/tokens.css'
import './styles/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const connection = connect()
syncWithHost(connection)
// index.html's outline says "Starting…" until the first screen's data is in: then the app is
// drawn once, with it.
void whenFirstScreenReady().then(() => {
  root.replaceChildren()
  createRoot(root).render(
    <StrictMode>
      <ConnectionContext.Provider value={connection}>
        <App />
      </ConnectionContext.Provider>
    </StrictMode>,
  )
})
