/**
 * The two lengths of a file's progress bar: bytes sent (handed to the network, drawn lighter) and
 * bytes confirmed (stored, drawn solid). A streamed upload sends for a long time before storage
 * confirms anything, so the bar moves with what was sent and fills solid as storage confirms.
 */

/** Fractions (0–1) of the bar, with `sent` never behind `confirmed`. */
export interface ProgressFractions {
  readonly confirmed: number
  readonly sent: number
}

/** Works out both fractions; an empty total shows full when done, else empty. */
export function progressFractions(
  confirmed: number,
  sent: number | undefined,
  total: number,
  done = false,
): ProgressFractions {
  if (!(total > 0)) {
    const f = done ? 1 : 0
    return { confirmed: f, sent: f }
  }
  const c = clamp(confirmed / total)
  const s = Math.max(c, clamp((sent ?? confirmed) / total))
  return { confirmed: c, sent: s }
}

/** Words for assistive tech: "40% sent, 10% confirmed", or just "40%" when they agree. */
export function progressText(fractions: ProgressFractions): string {
  const c = Math.round(fractions.confirmed * 100)
  const s = Math.round(fractions.sent * 100)
  return s > c ? `${s}% sent, ${c}% confirmed` : `${c}%`
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0
}
