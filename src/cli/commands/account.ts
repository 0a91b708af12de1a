/** `whoami`, `boards` and `status`: read-only views of the account, its boards and the queue. */
import type { Command } from '../context.ts'
import { openEngine, requireSignIn, toCliError } from '../engine-session.ts'
import { describeSession } from '../../engine/account/session-machine.ts'
import { ExitCode } from '../exit-codes.ts'
import { formatBytes } from '../output/format.ts'

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

/** `status`: local state only (no network): session, pairs, queue totals, failed jobs. */
export const statusCommand: Command = async (ctx) => {
  const engine = await openEngine(ctx)
  try {
    const session = engine.session()
    const pairs = engine.pairs()
    const totals = engine.totals()
    const unfinished = engine
      .jobs()
      .filter((j) => j.state.kind !== 'done' && j.state.kind !== 'cancelled')
    const lines = [
      describeSession(session),
      `queue: ${totals.queued} queued, ${totals.active} active, ${totals.done} done, ${totals.failed} failed${totals.paused ? ' (paused)' : ''}; ${formatBytes(totals.bytesDone)} of ${formatBytes(totals.bytesTotal)}`,
      ...(pairs.length ? ['pairs:'] : ['no pairs']),
      ...pairs.map(
        (p) =>
          `  ${p.folder} → ${p.boardTitle ?? p.board}: ${p.status.kind}, ${p.counts.synced} synced, ${p.counts.pending} pending, ${p.counts.failed} failed`,
      ),
      ...unfinished
        .filter((j) => j.state.kind === 'failed')
        .slice(0, 20)
        .map(
          (j) =>
            `  failed: ${j.source.kind === 'file' ? j.source.path : j.source.uri}: ${j.state.kind === 'failed' ? j.state.reason : ''}`,
        ),
    ]
    ctx.reporter.result('status', { session, pairs, totals, unfinished }, lines.join('\n'))
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}
