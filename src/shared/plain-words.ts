/**
 * Plain words for every error and waiting state the user can see: one mapping from what the
 * engine knows (HTTP statuses, error codes, queue backoffs) to a sentence that says what happened
 * and what happens next. The technical text is kept as `detail` for a "Details" disclosure and the
 * log, never in the headline. Shared by the engine, the renderer and the CLI so they all agree.
 */

/** A message for people: what happened and what happens next, plus the technical detail. */
export interface PlainMessage {
  readonly headline: string
  /** What happens next, or what the user can do. */
  readonly next: string
  /** The original technical text (for "Details" and the log). */
  readonly detail: string
}

/** "8 s", "2 min", "1 h 5 min": a wait in words, never negative. */
export function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 90) return `${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}

/** "Retrying in 8 s." or "Retrying now." for a retry at `until` (ms since the epoch). */
export function retryingIn(until: number | null | undefined, now: number): string {
  if (until === null || until === undefined || until - now < 500) return 'Retrying now.'
  return `Retrying in ${inWords(until - now)}.`
}

const SESSION_ENDED = 'Your session ended.'
const SESSION_NEXT = 'Sign in again: nothing in the queue is lost.'

interface Rule {
  readonly test: RegExp
  readonly headline: string
  readonly next: string
}

// Order matters: the first rule that matches wins. Tested against the raw reason text.
const RULES: readonly Rule[] = [
  {
    test: /\b(EACCES|EPERM)\b|permission denied|operation not permitted/i,
    headline: "Playbook Sync isn't allowed to read this file.",
    next: 'Check its permissions (or unlock it), then retry.',
  },
  {
    test: /\bEBUSY\b|\bEAGAIN\b|locked/i,
    headline: 'Another app has this file locked.',
    next: 'Close the other app, then retry.',
  },
  {
    test: /\bENOENT\b|vanished|no such file|source (changed|missing)/i,
    headline: 'The file was moved or deleted before it could be uploaded.',
    next: 'It uploads again if it comes back.',
  },
  {
    test: /\bEISDIR\b|\bELOOP\b|not a (regular )?file/i,
    headline: "This isn't a file Playbook Sync can upload.",
    next: 'Nothing to do; it stays on your computer.',
  },
  {
    test: /\bENOSPC\b|disk (is )?full|no space left/i,
    headline: 'Your disk is full.',
    next: 'Free some space, then retry.',
  },
  {
    test: /\bcancell?ed\b/i,
    headline: 'You cancelled this upload.',
    next: 'Retry to upload it after all.',
  },
  {
    test: /\b401\b|unauthenticated|unauthori[sz]ed|sign in again|token (expired|revoked|invalid)/i,
    headline: SESSION_ENDED,
    next: SESSION_NEXT,
  },
  {
    test: /\b403\b|forbidden|not allowed|permission/i,
    headline: "Your account can't add files to this board.",
    next: 'Ask the board owner for access, or pick another board.',
  },
  {
    test: /\b404\b|not found|no such board|unknown board/i,
    headline: "Playbook can't find this board any more.",
    next: 'It may have been deleted or moved; pick another board.',
  },
  {
    test: /\b413\b|too large|too big|exceeds/i,
    headline: 'This file is too large for Playbook.',
    next: 'Make it smaller, then retry.',
  },
  {
    test: /\b429\b|rate.?limit|too many requests|quota/i,
    headline: 'Playbook asked us to slow down.',
    next: 'Uploads continue by themselves shortly.',
  },
  {
    test: /\b5\d\d\b|server error|bad gateway|unavailable|gateway timeout|overloaded|busy/i,
    headline: 'Playbook is busy.',
    next: 'Retry in a moment; nothing is lost.',
  },
  {
    test: /UND_ERR|ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket|fetch failed|network|offline|other side closed|timed? ?out/i,
    headline: "Can't reach Playbook.",
    next: 'Check your connection; nothing is lost.',
  },
  {
    test: /hash|sha-?256|checksum|mismatch|changed while/i,
    headline: 'The file changed while it was being uploaded.',
    next: 'It uploads again once it stops changing.',
  },
  {
    test: /\b4\d\d\b|invalid|validation|unprocessable|rejected|refused/i,
    headline: 'Playbook did not accept this file.',
    next: 'See Details for what it said, then retry or skip it.',
  },
]

/** Plain words for a failure reason (a job's `failed` reason, a read error code). */
export function describeFailure(reason: string): PlainMessage {
  const detail = reason.trim()
  for (const rule of RULES) {
    if (rule.test.test(detail)) return { headline: rule.headline, next: rule.next, detail }
  }
  return {
    headline: 'Something went wrong with this upload.',
    next: 'Retry it; if it keeps failing, see Details.',
    detail,
  }
}

/**
 * The notice for a file a scan or a drop cannot upload, in plain words: what happened and what
 * to do ("Can't upload /x/a.png: Playbook Sync isn't allowed to read this file. Check its
 * permissions…"). A reason no rule knows is already written for people (e.g. a name that is not
 * valid UTF-8) and is kept as it is; the raw code stays in the file's reason for "Details".
 */
export function cannotUploadNotice(path: string, reason: string): string {
  const words = describeFailure(reason)
  const known = RULES.some((rule) => rule.test.test(words.detail))
  return known
    ? `Can't upload ${path}: ${words.headline} ${words.next}`
    : `Can't upload ${path}: ${words.detail}`
}

/** Why something is waiting rather than moving; `until` is when it tries again (epoch ms). */
export type WaitCause =
  | { readonly kind: 'offline'; readonly until: number | null; readonly detail: string }
  | { readonly kind: 'busy'; readonly until: number | null; readonly detail: string }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'settling' }
  | { readonly kind: 'queued' }

/** Plain words for a waiting state, with the countdown worked out against `now`. */
export function describeWait(cause: WaitCause, now: number): PlainMessage {
  switch (cause.kind) {
    case 'offline':
      return {
        headline: `Can't reach Playbook. ${retryingIn(cause.until, now)}`,
        next: 'Nothing is lost: uploads continue when the connection is back.',
        detail: cause.detail,
      }
    case 'busy':
      return {
        headline: `Playbook is busy. ${retryingIn(cause.until, now)}`,
        next: 'Nothing is lost: uploads continue by themselves.',
        detail: cause.detail,
      }
    case 'signed-out':
      return { headline: SESSION_ENDED, next: SESSION_NEXT, detail: 'HTTP 401' }
    case 'paused':
      return { headline: 'Paused.', next: 'Resume to continue uploading.', detail: '' }
    case 'settling':
      return {
        headline: 'Waiting for the file to finish saving.',
        next: 'It uploads once it stops changing.',
        detail: '',
      }
    case 'queued':
      return { headline: 'Waiting its turn.', next: 'It uploads shortly.', detail: '' }
  }
}

/** Plain words for a notice or error message thrown by a command (sign-in, add folder, …). */
export function plainError(message: string): PlainMessage {
  const described = describeFailure(message)
  if (described.headline.startsWith('Something went wrong')) {
    // Already a sentence for people (our own errors are): keep it, without a technical tail.
    const headline = message.replace(/\s*\((HTTP \d+|E[A-Z]+)\)\s*$/, '').trim()
    return { headline: headline || described.headline, next: '', detail: message }
  }
  return described
}
