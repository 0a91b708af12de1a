/**
 * The one overall status: folds every pair's tally and wait, the session and the queue into the
 * `SyncOverview` the sidebar, the folder list, the tray and the CLI all show, so they agree.
 */
import type { PairSnapshot } from '../../shared/pair-models.ts'
import { describeWait } from '../../shared/plain-words.ts'
import type { WaitCause } from '../../shared/plain-words.ts'
import type { FileTally, SyncOverview } from '../../shared/sync-status-models.ts'

/** "2,000" */
export const count = (n: number): string => n.toLocaleString('en-US')

/** "1 file" / "3 files" */
export const files = (n: number): string => `${count(n)} ${n === 1 ? 'file' : 'files'}`

const emptyTally: FileTally = {
  onBoard: 0,
  sameContent: 0,
  uploading: 0,
  waiting: 0,
  skipped: 0,
  attention: 0,
}

/** Adds tallies. */
export function sumTallies(tallies: readonly FileTally[]): FileTally {
  return tallies.reduce(
    (sum, t) => ({
      onBoard: sum.onBoard + t.onBoard,
      sameContent: sum.sameContent + t.sameContent,
      uploading: sum.uploading + t.uploading,
      waiting: sum.waiting + t.waiting,
      skipped: sum.skipped + t.skipped,
      attention: sum.attention + t.attention,
    }),
    emptyTally,
  )
}

/** "4 uploading, 1,996 waiting" (the parts that are not zero). */
export function movingWords(tally: FileTally): string {
  const parts: string[] = []
  if (tally.uploading > 0) parts.push(`${count(tally.uploading)} uploading`)
  if (tally.waiting > 0) parts.push(`${count(tally.waiting)} waiting`)
  return parts.join(', ')
}

/** The overall status from every pair, whether signed in, and the clock (for the countdown). */
export function overviewOf(input: {
  readonly pairs: readonly PairSnapshot[]
  readonly signedIn: boolean
  readonly now: number
}): SyncOverview {
  const { pairs, now } = input
  const tally = sumTallies(pairs.map((p) => p.tally))
  const issues = tally.attention
  const base = { tally, issues }
  if (pairs.length === 0) return { ...base, kind: 'no-folders', headline: 'No folders synced yet' }
  const hasWork = tally.uploading + tally.waiting > 0
  if (!input.signedIn && hasWork) {
    const wait: WaitCause = { kind: 'signed-out' }
    return { ...base, kind: 'signed-out', headline: describeWait(wait, now).headline, wait }
  }
  if (pairs.every((p) => p.status.kind === 'paused'))
    return { ...base, kind: 'paused', headline: 'Paused', wait: { kind: 'paused' } }
  const held = pairs.map((p) => p.wait).find((w) => w?.kind === 'offline' || w?.kind === 'busy')
  if (held && tally.uploading === 0) {
    return { ...base, kind: 'waiting', headline: describeWait(held, now).headline, wait: held }
  }
  if (hasWork || pairs.some((p) => p.status.kind === 'scanning'))
    return {
      ...base,
      kind: 'syncing',
      headline: hasWork ? `Syncing: ${movingWords(tally)}` : 'Looking for changes',
    }
  if (issues > 0)
    return {
      ...base,
      kind: 'attention',
      headline: `${files(issues)} need${issues === 1 ? 's' : ''} attention`,
    }
  return { ...base, kind: 'up-to-date', headline: 'Up to date' }
}
