/** A thin, accessible progress bar; the only motion in the app is this bar moving. */
import { progressFractions, progressText } from '../lib/progress.ts'

/** Props of `ProgressBar`. */
export interface ProgressBarProps {
  /** Confirmed amount (solid). */
  readonly value: number
  /** Sent amount, at least `value` (drawn lighter ahead of it); omitted: same as `value`. */
  readonly sent?: number
  readonly max: number
  readonly label: string
  readonly tone?: 'active' | 'done' | 'failed' | 'paused'
}

/** Shows value/max (and sent/max lighter); with max 0 it shows an empty track. */
export function ProgressBar({ value, sent, max, label, tone = 'active' }: ProgressBarProps) {
  const fractions = progressFractions(value, sent, max, tone === 'done')
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fractions.confirmed * 100)}
      aria-valuetext={progressText(fractions)}
    >
      {fractions.sent > fractions.confirmed && (
        <div
          className="progress-fill progress-sent"
          style={{ transform: `scaleX(${fractions.sent})` }}
        />
      )}
      <div className="progress-fill" style={{ transform: `scaleX(${fractions.confirmed})` }} />
    </div>
  )
}
