/** A thin, accessible progress bar; the only motion in the app is this bar moving. */

/** Props of `ProgressBar`. */
export interface ProgressBarProps {
  readonly value: number
  readonly max: number
  readonly label: string
  readonly tone?: 'active' | 'done' | 'failed' | 'paused'
}

/** Shows value/max; with max 0 it shows an empty track. */
export function ProgressBar({ value, max, label, tone = 'active' }: ProgressBarProps) {
  const fraction = max > 0 ? Math.min(1, Math.max(0, value / max)) : tone === 'done' ? 1 : 0
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="progress-fill" style={{ transform: `scaleX(${fraction})` }} />
    </div>
  )
}
