/** The "Details" disclosure: technical text (error codes, server answers) kept out of headlines. */
import type { ReactNode } from 'react'

/** A closed-by-default disclosure labelled "Details". */
export function Details({ children }: { readonly children: ReactNode }) {
  return (
    <details className="details">
      <summary>Details</summary>
      <code className="details-text">{children}</code>
    </details>
  )
}
