/**
 * A waiting state in plain words with a live countdown ("Can't reach Playbook. Retrying in 8 s."),
 * worked out from the engine's `until` against the clock each second, with the technical detail
 * in a "Details" disclosure.
 */
import { describeWait } from '../../../shared/plain-words.ts'
import type { WaitCause } from '../../../shared/plain-words.ts'
import { useNow } from './use-now.ts'
import { Details } from './details.tsx'

/** The wait's headline (counting down) and what happens next. */
export function WaitWords({ cause }: { readonly cause: WaitCause }) {
  const now = useNow(1000)
  const words = describeWait(cause, now)
  return (
    <div className="wait-words">
      <p className="wait-headline" role="status">
        {words.headline}
      </p>
      {words.next && <p className="muted small">{words.next}</p>}
      {words.detail && <Details>{words.detail}</Details>}
    </div>
  )
}
