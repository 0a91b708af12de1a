/** Accounts, orgs and boards as every process sees them. Owned by the engine's account module. */

/** A Playbook organization the signed-in user belongs to. */
export interface Org {
  readonly id: number | string
  readonly slug: string
  readonly name: string
}

/** A board; boards nest through parentId. */
export interface Board {
  readonly id: number | string
  readonly token: string
  readonly title: string
  readonly parentId: number | string | null
  readonly depth: number
}

/** Sign-in as a state machine. The access token itself never leaves the main process. */
export type SessionState =
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'waiting-for-link'; readonly email: string }
  | {
      readonly kind: 'signed-in'
      readonly apiUrl: string
      readonly org: Org | null
      readonly sandbox: boolean
    }
  | { readonly kind: 'expired'; readonly apiUrl: string }
