/** `playbook-sync sync <folder> --board TOKEN [--once]`: pair, catch up, then watch. */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { commands } from '../args.ts'
import type { Command } from '../context.ts'
import { openEngine, requireBoard, requireSignIn } from '../engine-session.ts'
import { usageError } from '../exit-codes.ts'
import { runPair } from '../pair-run.ts'
import { flatMapping } from '../../shared/pair-models.ts'

/** The `sync` command: validates the folder, signs in, checks the board, runs the pair. */
export const syncCommand: Command = async (ctx) => {
  const usage = commands.sync.usage
  const raw = ctx.args.positionals[0]
  if (!raw) throw usageError('which folder? none given', `usage: playbook-sync ${usage}`)
  const folder = resolve(raw)
  const info = await stat(folder).catch(() => undefined)
  if (!info) throw usageError(`folder not found: ${raw}`, 'give an existing folder to sync')
  if (!info.isDirectory())
    throw usageError(`not a folder: ${raw}`, 'to send single files use `playbook-sync upload`')
  const engine = await openEngine(ctx, { work: 'sync', watch: ctx.args.values.once !== true })
  try {
    await requireSignIn(engine, ctx)
    const board = await requireBoard(engine, ctx.args.values.board as string | undefined, usage)
    return await runPair(engine, ctx, {
      folder,
      board,
      once: ctx.args.values.once === true,
      ...(ctx.args.values.force === true ? { settings: { uploadExisting: true } } : {}),
      ...(ctx.args.values.flat === true ? { mapping: flatMapping } : {}),
    })
  } finally {
    await engine.close()
  }
}
