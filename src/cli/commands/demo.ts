/**
 * `playbook-sync demo [--once]`: the main job on any machine. Starts the sandbox in-process, signs
 * in, generates a folder of real images, pairs it with a board, syncs with live progress, prints the
 * board page URL, and keeps watching until Ctrl-C (`--once`: exit after the first sync).
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from '../context.ts'
import { generateSampleImages } from '../demo/generate-images.ts'
import { toCliError } from '../engine-session.ts'
import { createEngine } from '../../engine/app.ts'
import { createMemorySecretStore } from '../../engine/account/file-secret-store.ts'
import { usageError } from '../exit-codes.ts'
import { runPair } from '../pair-run.ts'

const SAMPLE_COUNT = 8

/** The demo's folder inside a home folder. */
export function demoFolder(home: string): string {
  return join(home, 'demo', 'Sample images')
}

/** The `demo` command (see the file comment). */
export const demoCommand: Command = async (ctx) => {
  const { config, reporter } = ctx
  // The demo keeps its own sandbox session: it never touches the token a real `login` stored.
  const engine = await createEngine({
    home: join(config.home, 'demo'),
    secrets: createMemorySecretStore(),
    log: ctx.log,
    persistSession: false,
    watch: ctx.args.values.once !== true,
    ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
    ...(config.chunkSize !== undefined ? { chunkSize: config.chunkSize } : {}),
    ...(config.bwlimit !== undefined ? { bwlimit: config.bwlimit } : {}),
  })
  try {
    reporter.info('Starting the built-in sandbox…')
    try {
      await engine.useSandbox()
    } catch (e) {
      throw toCliError(e)
    }
    const sandbox = engine.sandboxInfo()
    const board = sandbox?.boards[0]
    if (!sandbox || !board) throw usageError('the sandbox started without boards')
    const folder = demoFolder(config.home)
    const existing = await readdir(folder).catch(() => [] as string[])
    if (existing.length === 0) {
      reporter.info(`Drawing ${SAMPLE_COUNT} sample images into ${folder}…`)
      await generateSampleImages(folder, SAMPLE_COUNT)
    }
    const pageUrl = `${sandbox.url}/boards/${encodeURIComponent(board.token)}`
    reporter.info(`Syncing ${folder} → board "${board.title}"`)
    return await runPair(engine, ctx, {
      folder,
      board: board.token,
      boardTitle: board.title,
      once: ctx.args.values.once === true,
      afterCatchUp: () =>
        reporter.result(
          'demo',
          { url: pageUrl, sandbox: sandbox.url, board: board.token, folder },
          `\nSee the images on the board: ${pageUrl}\nDrop more files into ${folder} and they appear there.`,
        ),
    })
  } finally {
    await engine.close()
  }
}
