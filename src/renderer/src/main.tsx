import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { connect } from './api.ts'
import { ConnectionContext } from './api-context.tsx'
import { syncWithHost } from './store/host-sync.ts'
import './styles/tokens.css'
import './styles/app.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const connection = connect()
syncWithHost(connection)
createRoot(root).render(
  <StrictMode>
    <ConnectionContext.Provider value={connection}>
      <App />
    </ConnectionContext.Provider>
  </StrictMode>,
)
