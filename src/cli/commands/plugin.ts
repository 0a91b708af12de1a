/**
 * `playbook-sync plugin serve --port N --secret S --dest DIR`: runs the plugin host (seed 001).
 * The first stdout line is `{"plugins": {name: invocationUrl}}`; it serves until Ctrl-C / SIGTERM.
 */
import { join, resolve } from 'node:path'
import { assertNever } from '../../shared/assert-never.ts'
import { plainLines } from '../../shared/plain-text.ts'
import { readSecret } from '../../engine/secret-input.ts'
import { startPluginHost } from '../../engine/plugins/plugin-host.ts'
import { generateSecret } from '../../engine/plugins/secret.ts'
import type { PluginHostEvent } from '../../engine/plugins/plugin-activity.ts'
import type { ParsedArgs } from '../args.ts'
import { commands } from '../args.ts'
import { resolveConfig } from '../config.ts'
import { CliError, ExitCode, usageError } from '../exit-codes.ts'
import { createFileLogger } from '../log/file-logger.ts'
import type { CliStreams } from '../context.ts'

function describe(event: PluginHostEvent): string {
  switch (event.type) {
    case 'invocation-accepted':
      return `${event.plugin}: invocation accepted (${event.assetCount} assets${event.resumed ? ', resumed' : ''})`
    case 'invocation-duplicate':
      return `${event.plugin}: duplicate invocation ignored`
    case 'invocation-refused':
      return `invocation refused (${event.status}): ${event.reason}`
    case 'item':
      return `${event.item.plugin}: ${event.item.title}: ${event.item.state.kind}${'reason' in event.item.state ? ` (${event.item.state.reason})` : ''}`
    case 'invocation-finished':
      return `${event.plugin}: finished ${event.status}: ${event.message}`
    default:
      return assertNever(event, 'plugin host event')
  }
}

/** Runs the plugin host until `signal` aborts; resolves to the exit code. */
export async function runPluginCommand(
  args: ParsedArgs,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  streams: CliStreams,
): Promise<number> {
  const usage = `usage: playbook-sync ${commands.plugin.usage}`
  try {
    if (args.positionals[0] !== 'serve')
      throw usageError(`unknown plugin command "${args.positionals[0] ?? ''}"`, usage)
    const v = args.values
    const port = typeof v.port === 'string' ? Number(v.port) : 0
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port must be 0-65535, got "${String(v.port)}"`)
    const dest = typeof v.dest === 'string' ? resolve(v.dest) : undefined
    if (!dest)
      throw usageError('--dest DIR is required (where "Send to desktop" saves files)', usage)
    const secret =
      (await readSecret({
        flag: 'secret',
        value: v.secret,
        envName: 'PLAYBOOK_PLUGIN_SECRET',
        env,
        warn: (text) => streams.stderr.write(`${text}\n`),
      }).catch((e: unknown) => {
        throw usageError((e as Error).message)
      })) ?? generateSecret()
    const config = await resolveConfig(v, env)
    const log = createFileLogger(config.home, { echo: config.verbose })
    log.addSecret(secret)
    let host
    try {
      host = await startPluginHost({
        port,
        secret,
        dest,
        stateDir: join(config.home, 'plugins'),
        apiUrl: config.apiUrl,
        log,
        ...(typeof v.host === 'string' ? { host: v.host } : {}),
        ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
      })
    } catch (e) {
      throw usageError(`cannot start the plugin host: ${(e as Error).message}`)
    }
    streams.stdout.write(`${JSON.stringify({ plugins: host.urls, port: host.port })}\n`)
    const unsubscribe = host.subscribe((event) => {
      if (config.json) streams.stdout.write(`${JSON.stringify(event)}\n`)
      else streams.stderr.write(`${plainLines(describe(event))}\n`)
    })
    await new Promise<void>((done) => {
      if (signal.aborted) done()
      else signal.addEventListener('abort', () => done(), { once: true })
    })
    unsubscribe()
    await host.close()
    await log.flush()
    return ExitCode.ok
  } catch (e) {
    if (e instanceof CliError) {
      streams.stderr.write(`playbook-sync: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`)
      return e.exitCode
    }
    throw e
  }
}
