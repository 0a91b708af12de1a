/** Account errors that are the user's to fix (unknown org, bad link): front ends show the message. */
export class AccountError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AccountError'
  }
}

/** True for AccountError instances (also across bundled module copies). */
export function isAccountError(e: unknown): e is AccountError {
  return e instanceof Error && e.name === 'AccountError'
}
