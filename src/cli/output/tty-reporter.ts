/**
 * Output for people: finished files scroll as lines, and below them a live block with one
 * progress bar per active file and a total (speed, ETA), redrawn in place at most 10 times a second.
 * When stdout is not a terminal, only the lines are printed (no bars, no escape codes).
 */
import { basename } from 'node:path'
import type { EngineEvent } from '../../engine/engine-types.ts'
import type { JobSnapshot, QueueTotals } from '../../shared/job-models.ts'
import { assertNever } from '../../shared/assert-never.ts'
import { plainLines, plainText } from '../../shared/plain-text.ts'
import type { Reporter } from './reporter.ts'
import { bar, fit, formatBytes, formatDuration } from './format.ts'
import { jobLabel } from './run-tracker.ts'
import { jobWaitKey, jobWaitWords } from './job-wait.ts'

const REDRAW_MS = 100
const MAX_BARS = 8

/** A stream we can write to and ask about. */
export interface TextOut {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

function isActive(job: JobSnapshot): boolean {
  const k = job.state.kind
  return k === 'preparing' || k === 'uploading' || k === 'completing' || k === 'ingesting'
}

/** Creates the human reporter; `live` draws bars (default: when `out` is a terminal). */
export function createTtyReporter(
  out: TextOut = process.stdout,
  live = out.isTTY === true,
): Reporter {
  const active = new Map<string, JobSnapshot>()
  /** What each unfinished job was last said to wait for (a line is printed when it changes). */
  const waits = new Map<string, string>()
  let totals: QueueTotals | undefined
  let drawnLines = 0
  let dirty = false
  const timer = live
    ? setInterval(() => {
        if (dirty) redraw()
      }, REDRAW_MS)
    : undefined
  timer?.unref()

  const width = (): number => Math.max(60, Math.min(out.columns ?? 100, 140))

  function clearBlock(): void {
    if (drawnLines > 0) out.write(`\x1b[${drawnLines}F\x1b[J`)
    drawnLines = 0
  }

  function block(): string[] {
    const w = width()
    const lines: string[] = []
    const jobs = [...active.values()].slice(0, MAX_BARS)
    const nameWidth = Math.max(16, w - 60)
    for (const j of jobs) {
      // Bytes sent move as they go out (a streamed upload is confirmed only at its end).
      const sent = Math.max(j.bytesDone, j.sentBytes ?? 0)
      const fraction =
        j.bytesTotal > 0 ? sent / j.bytesTotal : j.state.kind === 'completing' ? 1 : 0
      const detail =
        j.source.kind === 'url'
          ? j.state.kind
          : `${formatBytes(sent).padStart(7)}/${formatBytes(j.bytesTotal).padEnd(7)} ${formatBytes(j.speed).padStart(7)}/s ETA ${formatDuration(j.etaSeconds)}`
      lines.push(
        `  ${fit(plainText(basename(jobLabel(j))), nameWidth)} ${bar(fraction, 20)} ${String(Math.floor(fraction * 100)).padStart(3)}% ${detail}`,
      )
    }
    if (active.size > MAX_BARS) lines.push(`  … and ${active.size - MAX_BARS} more`)
    if (totals) {
      const t = totals
      const files = t.done + t.failed + t.queued + t.active
      const moved = Math.max(t.bytesDone, t.bytesSent ?? 0)
      const fraction = t.bytesTotal > 0 ? moved / t.bytesTotal : 0
      const eta = t.speed > 0 ? (t.bytesTotal - moved) / t.speed : null
      lines.push(
        `  Total ${bar(fraction, 30)} ${t.done}/${files} files  ${formatBytes(moved)}/${formatBytes(t.bytesTotal)}  ${formatBytes(t.speed)}/s  ETA ${formatDuration(eta)}${t.failed ? `  ${t.failed} failed` : ''}`,
      )
    }
    return lines
  }

  function redraw(): void {
    dirty = false
    if (!live) return
    clearBlock()
    const lines = block()
    if (lines.length > 0) out.write(`${lines.join('\n')}\n`)
    drawnLines = lines.length
  }

  /** Prints a permanent line above the live block; titles and messages may carry escapes. */
  function line(text: string): void {
    if (live) clearBlock()
    out.write(`${plainLines(text)}\n`)
    if (live) redraw()
  }

  return {
    engineEvent(event: EngineEvent) {
      switch (event.type) {
        case 'job':
        case 'job-progress': {
          const j = event.job
          if (isActive(j)) active.set(j.id, j)
          else active.delete(j.id)
          if (event.type === 'job') {
            const note = j.note ? ` (${j.note})` : ''
            if (j.state.kind === 'done') line(`✓ ${jobLabel(j)}${note}`)
            else if (j.state.kind === 'failed') line(`✗ ${jobLabel(j)}: ${j.state.reason}`)
            // A job that waits says for what, once per change (the engine's words).
            const key = jobWaitKey(j)
            const words = jobWaitWords(j, Date.now())
            if (key === '' || words === undefined) waits.delete(j.id)
            else if (waits.get(j.id) !== key) {
              waits.set(j.id, key)
              line(`… ${jobLabel(j)}: ${words}`)
            }
          }
          dirty = true
          return
        }
        case 'totals':
          totals = event.totals
          dirty = true
          return
        case 'notice':
          line(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`)
          return
        case 'pair':
          if (event.pair.status.kind === 'error')
            line(`pair ${event.pair.folder}: ${event.pair.status.reason}`)
          return
        case 'session':
        case 'pair-removed':
        case 'overview':
          return
        default:
          assertNever(event, 'engine event')
      }
    },
    info(text) {
      line(text)
    },
    result(_type, _payload, human) {
      line(human)
    },
    summary(s) {
      if (live) clearBlock()
      active.clear()
      const parts = [`${s.uploaded} uploaded`, `${s.skipped} skipped`, `${s.failed} failed`]
      if (s.pending) parts.push(`${s.pending} pending (run the same command again to continue)`)
      out.write(`\n${parts.join(', ')}\n`)
      for (const f of s.failures)
        out.write(`  failed: ${plainText(f.path)}: ${plainText(f.error)}\n`)
    },
    close() {
      if (timer) clearInterval(timer)
      if (live) clearBlock()
    },
  }
}
