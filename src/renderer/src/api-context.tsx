/** Gives components the contract API and its connection without a global. */
import { createContext, useContext } from 'react'
import type { PlaybookApi } from '../../shared/contract.ts'
import type { Connection } from './api.ts'

/** The connection, provided once at the root. */
export const ConnectionContext = createContext<Connection | null>(null)

/** The connection (API, status, external links); throws outside the provider. */
export function useConnection(): Connection {
  const connection = useContext(ConnectionContext)
  if (!connection) throw new Error('useConnection() outside <ConnectionContext.Provider>')
  return connection
}

/** The contract API. */
export function useApi(): PlaybookApi {
  return useConnection().api
}
