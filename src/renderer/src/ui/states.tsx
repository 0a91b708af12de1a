/** Empty, loading and error states: every screen uses these, so they look alike everywhere. */
import type { ReactNode } from 'react'
import { CircleAlert, LoaderCircle } from 'lucide-react'

/** Nothing here yet, and what to do about it. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  readonly icon: ReactNode
  readonly title: string
  readonly children?: ReactNode
  readonly action?: ReactNode
}) {
  return (
    <div className="state">
      <div className="state-icon" aria-hidden>
        {icon}
      </div>
      <h2 className="state-title">{title}</h2>
      {children && <p className="state-text">{children}</p>}
      {action && <div className="state-action">{action}</div>}
    </div>
  )
}

/** Something is on its way. */
export function LoadingState({ label }: { readonly label: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <LoaderCircle className="spin state-spinner" aria-hidden size={20} />
      <p className="state-text">{label}</p>
    </div>
  )
}

/** Something failed, what it was, and how to try again. */
export function ErrorState({
  title,
  message,
  action,
}: {
  readonly title: string
  readonly message: string
  readonly action?: ReactNode
}) {
  return (
    <div className="state" role="alert">
      <div className="state-icon state-icon-error" aria-hidden>
        <CircleAlert size={22} />
      </div>
      <h2 className="state-title">{title}</h2>
      <p className="state-text">{message}</p>
      {action && <div className="state-action">{action}</div>}
    </div>
  )
}
