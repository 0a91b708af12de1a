/**
 * `playbook-sync host [--port N]`: the desktop app's UI for machines without Electron. Serves the
 * built renderer on loopback over the same engine and contract; open the printed URL in a browser.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runHost } from '../../host/run-host.ts'
import type { Command } from '../context.ts'
import { ExitCode, usageError } from '../exit-codes.ts'

/** out/renderer, whether this runs from the bundle (out/cli) or from source (src/cli/commands). */
function rendererDir(): string {
  const candidates = ['../renderer/', '../../../out/renderer/'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  )
  const found = candidates.find((dir) => existsSync(`${dir}index.html`))
  if (!found) throw usageError('the app is not built yet', 'run `npm run build` first')
  return found
}

/** Runs the headless host until Ctrl-C. */
export const hostCommand: Command = async (ctx) => {
  const raw = ctx.args.values.port
  const port = typeof raw === 'string' ? Number(raw) : 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw usageError(`--port must be a number from 0 to 65535, got "${String(raw)}"`)
  const host = await runHost({
    port,
    home: ctx.config.home,
    rendererDir: rendererDir(),
    ...(ctx.config.apiFlag ? { apiUrl: ctx.config.apiFlag } : {}),
  })
  if (ctx.config.json) process.stdout.write(`${JSON.stringify({ type: 'host', url: host.url })}\n`)
  else process.stdout.write(`Playbook Sync is running at ${host.url}  (Ctrl-C to stop)\n`)
  await new Promise<void>((done) => {
    if (ctx.signal.aborted) done()
    else ctx.signal.addEventListener('abort', () => done(), { once: true })
  })
  await host.close()
  return ExitCode.ok
}
