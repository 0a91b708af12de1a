/** `whoami`, `boards` and `status`: read-only views of the account, its boards and the queue. */
import type { Command } from '../context.ts'
import type { Engine } from '../../engine/engine-types.ts'
import { openEngine, requireSignIn, toCliError } from '../engine-session.ts'
import { describeSession } from '../../engine/account/session-machine.ts'
import { ExitCode } from '../exit-codes.ts'
import { formatBytes } from '../output/format.ts'
import { jobWaitWords } from '../output/job-wait.ts'
import { issuesLines } from '../output/status-lines.ts'
import { jobLabel } from '../output/run-tracker.ts'

/** `whoami`: checks the token against the API and shows the org and the orgs it reaches. */
export const whoamiCommand: Command = async (ctx) => {
  const engine = await openEngine(ctx)
  try {
    const session = await requireSignIn(engine, ctx)
    let orgs
    try {
      orgs = await engine.orgs()
    } catch (e) {
      throw toCliError(e)
    }
    const human = [
      describeSession(session),
      ...orgs.map((o) => `  ${o.slug === session.org?.slug ? '*' : ' '} ${o.slug}  ${o.name}`),
    ]
    ctx.reporter.result(
      'whoami',
      { apiUrl: session.apiUrl, org: session.org, sandbox: session.sandbox, orgs },
      human.join('\n'),
    )
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}

/** `boards`: the org's boards, for picking a `--board` token. */
export const boardsCommand: Command = async (ctx) => {
  const engine = await openEngine(ctx)
  try {
    const session = await requireSignIn(engine, ctx)
    const query = typeof ctx.args.values.query === 'string' ? ctx.args.values.query : undefined
    let boards
    try {
      boards = await engine.boards(query)
    } catch (e) {
      throw toCliError(e)
    }
    const width = Math.max(5, ...boards.map((b) => b.token.length))
    const human = boards.length
      ? boards
          .map((b) => `${b.token.padEnd(width)}  ${'  '.repeat(Math.max(0, b.depth))}${b.title}`)
          .join('\n')
      : `no boards in ${session.org?.slug ?? 'this organization'}`
    ctx.reporter.result('boards', { org: session.org?.slug ?? null, boards }, human)
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}

/** `status --issues`: every file that needs attention, then every file skipped on purpose. */
function issuesReport(engine: Engine): { payload: Record<string, unknown>; human: string } {
  const overview = engine.overview()
  const issues = engine.issues()
  const skipped = engine.skipped()
  const lines = issuesLines(issues, skipped)
  return { payload: { overview, issues, skipped }, human: lines.join('\n') }
}

/** `status`: local state only (no network): session, pairs, queue totals, failed jobs. */
export const statusCommand: Command = async (ctx) => {
  const engine = await openEngine(ctx)
  try {
    if (ctx.args.values.issues === true) {
      const { payload, human } = issuesReport(engine)
      ctx.reporter.result('issues', payload, human)
      return ExitCode.ok
    }
    const session = engine.session()
    const pairs = engine.pairs()
    const totals = engine.totals()
    const unfinished = engine
      .jobs()
      .filter((j) => j.state.kind !== 'done' && j.state.kind !== 'cancelled')
    const overview = engine.overview()
    const lines = [
      describeSession(session),
      `status: ${overview.headline}${overview.issues > 0 && overview.kind !== 'attention' ? ` (${overview.issues} need attention: status --issues)` : ''}`,
      `queue: ${totals.queued} queued, ${totals.active} active, ${totals.done} done, ${totals.failed} failed${totals.paused ? ' (paused)' : ''}; ${formatBytes(totals.bytesDone)} of ${formatBytes(totals.bytesTotal)}`,
      ...(pairs.length ? ['pairs:'] : ['no pairs']),
      ...pairs.map(
        (p) =>
          `  ${p.folder} → ${p.boardTitle ?? p.board}: ${p.upToDate ? 'up to date' : p.status.kind}, ${p.tally.onBoard} on the board${p.tally.sameContent ? `, ${p.tally.sameContent} same content as another file` : ''}, ${p.tally.uploading + p.tally.waiting} to upload, ${p.tally.attention} need attention${p.tally.skipped ? `, ${p.tally.skipped} skipped on purpose (status --issues says why)` : ''}`,
      ),
      ...unfinished
        .map((j) => ({ j, words: jobWaitWords(j, Date.now()) }))
        .filter((w) => w.words !== undefined)
        .slice(0, 20)
        .map(({ j, words }) => `  waiting: ${jobLabel(j)}: ${words ?? ''}`),
      ...unfinished
        .filter((j) => j.state.kind === 'failed')
        .slice(0, 20)
        .map((j) => `  failed: ${jobLabel(j)}: ${j.state.kind === 'failed' ? j.state.reason : ''}`),
    ]
    ctx.reporter.result(
      'status',
      { session, overview, pairs, totals, unfinished },
      lines.join('\n'),
    )
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}
