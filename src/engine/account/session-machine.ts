/**
 * Sign-in as a state machine: signed-out → waiting-for-link → signed-in(org) → expired (a 401
 * anywhere). Every change goes through `nextSession`, so each transition is one event and no code
 * path invents a state the others do not expect.
 */
import type { Org, SessionState } from '../../shared/account-models.ts'
import { assertNever } from '../../shared/assert-never.ts'

/** Things that happen to a session. */
export type SessionAction =
  | { readonly type: 'link-requested'; readonly email: string }
  | {
      readonly type: 'signed-in'
      readonly apiUrl: string
      readonly org: Org | null
      readonly sandbox: boolean
    }
  | { readonly type: 'org-selected'; readonly org: Org }
  | { readonly type: 'unauthorized' }
  | { readonly type: 'signed-out' }

/** The state after `action`; actions that make no sense in a state leave it unchanged. */
export function nextSession(state: SessionState, action: SessionAction): SessionState {
  switch (action.type) {
    case 'link-requested':
      return state.kind === 'signed-in' ? state : { kind: 'waiting-for-link', email: action.email }
    case 'signed-in':
      return { kind: 'signed-in', apiUrl: action.apiUrl, org: action.org, sandbox: action.sandbox }
    case 'org-selected':
      return state.kind === 'signed-in' ? { ...state, org: action.org } : state
    case 'unauthorized':
      return state.kind === 'signed-in' ? { kind: 'expired', apiUrl: state.apiUrl } : state
    case 'signed-out':
      return { kind: 'signed-out' }
    default:
      return assertNever(action, 'session action')
  }
}

/** A one-line description for people (CLI `whoami`, logs). */
export function describeSession(state: SessionState): string {
  switch (state.kind) {
    case 'signed-out':
      return 'signed out'
    case 'waiting-for-link':
      return `waiting for the magic link sent to ${state.email}`
    case 'signed-in':
      return `signed in to ${state.apiUrl}${state.sandbox ? ' (sandbox)' : ''}${state.org ? `, org ${state.org.slug} (${state.org.name})` : ', no org selected'}`
    case 'expired':
      return `session expired at ${state.apiUrl}: sign in again`
    default:
      return assertNever(state, 'session')
  }
}
