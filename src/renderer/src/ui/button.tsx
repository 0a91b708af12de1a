/** The one button: variants for emphasis, an optional icon, and a busy state that keeps its width. */
import type { ButtonHTMLAttributes, ReactNode } from 'react'
import { LoaderCircle } from 'lucide-react'

/** Props of `Button`. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: 'primary' | 'secondary' | 'ghost' | 'danger'
  readonly size?: 'md' | 'sm'
  readonly icon?: ReactNode
  readonly busy?: boolean
}

/** A labelled button; `busy` disables it and shows a spinner in place of the icon. */
export function Button({
  variant = 'secondary',
  size = 'md',
  icon,
  busy = false,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      className={['btn', `btn-${variant}`, `btn-${size}`, className].filter(Boolean).join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <LoaderCircle className="spin" aria-hidden size={16} /> : icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  )
}

/** Props of `IconButton`: the label is required, since there is no visible text. */
export interface IconButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly label: string
  readonly icon: ReactNode
}

/** A square icon-only button, labelled for screen readers and with a tooltip. */
export function IconButton({ label, icon, className, type = 'button', ...rest }: IconButtonProps) {
  return (
    <button
      type={type}
      className={['icon-btn', className].filter(Boolean).join(' ')}
      aria-label={label}
      title={label}
      {...rest}
    >
      {icon}
    </button>
  )
}
