/**
 * `playbook-sync upload <files, folders or URLs…> --board TOKEN [--as-link]`: uploads and exits.
 * Folders are expanded by the engine (junk skipped); URLs go through URL ingest and are followed to
 * their end. A path that does not exist is a named failure; the rest still upload.
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { mayBeUndecodable, NOT_UTF8_REASON } from '../../engine/sync/scanner.ts'
import { commands } from '../args.ts'
import type { Command } from '../context.ts'
import { openEngine, requireBoard, requireSignIn, toCliError } from '../engine-session.ts'
import { usageError } from '../exit-codes.ts'
import { finishRun, followUntilSettled, forwardEvents, trackJobs } from '../follow-jobs.ts'
import { RunTracker } from '../output/run-tracker.ts'

const USER_PRIORITY = 10

/** True for inputs that are URLs to ingest rather than local paths. */
export function looksLikeUrl(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input)
}

/** The `upload` command. */
export const uploadCommand: Command = async (ctx) => {
  const usage = commands.upload.usage
  const inputs = ctx.args.positionals
  if (inputs.length === 0) throw usageError('nothing to upload', `usage: playbook-sync ${usage}`)
  const engine = await openEngine(ctx, { work: 'upload' })
  try {
    await requireSignIn(engine, ctx)
    const board = await requireBoard(engine, ctx.args.values.board as string | undefined, usage)
    const tracker = new RunTracker()
    const stopForwarding = forwardEvents(engine, ctx, tracker)
    const paths: string[] = []
    const urls: string[] = []
    for (const input of inputs) {
      if (looksLikeUrl(input)) {
        if (/^https?:\/\//i.test(input)) urls.push(input)
        else tracker.fail(input, 'only http(s) URLs can be ingested')
        continue
      }
      try {
        await stat(input)
        paths.push(resolve(input))
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        tracker.fail(
          input,
          code === 'ENOENT'
            ? mayBeUndecodable(input)
              ? NOT_UTF8_REASON
              : 'no such file or directory'
            : `cannot read: ${(e as Error).message}`,
        )
      }
    }
    const doneBefore = new Set(
      engine
        .jobs()
        .filter((j) => j.state.kind === 'done')
        .map((j) => j.id),
    )
    let ids: string[]
    try {
      ids = [
        ...(paths.length
          ? await engine.uploadPaths(paths, board, {
              priority: USER_PRIORITY,
              force: ctx.args.values.force === true,
            })
          : []),
        ...(urls.length
          ? await engine.uploadUrls(urls, board, { asLink: ctx.args.values['as-link'] === true })
          : []),
      ]
    } catch (e) {
      throw toCliError(e)
    }
    trackJobs(engine, tracker, ids, doneBefore)
    const end = await followUntilSettled(engine, ctx, tracker)
    stopForwarding()
    return finishRun(ctx, tracker, end === 'interrupted')
  } finally {
    await engine.close()
  }
}
