/**
 * `playbook-sync plugin serve --port N --secret S --dest DIR [--host H] [--state DIR]`: runs the
 * plugin host until SIGINT/SIGTERM. Its first stdout line is one JSON object naming each plugin's
 * invocation URL (secret included), so scripts and tests can read it; logs go to stderr.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Logger } from '../engine-types.ts'
import { startPluginHost } from './plugin-host.ts'
import { redactUrl } from './redact-url.ts'
import { generateSecret } from './secret.ts'
import { readSecret } from '../secret-input.ts'

const usage =
  'usage: playbook-sync plugin serve --dest DIR [--port N] [--secret S] [--host 127.0.0.1] [--state DIR] [--api URL]'

/** JSON lines on stderr; string fields that look like URLs are redacted. */
function stderrLogger(): Logger {
  const line = (level: string, message: string, fields: Record<string, unknown> = {}): void => {
    const safe = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        typeof v === 'string' && /^https?:/.test(v) ? redactUrl(v) : v,
      ]),
    )
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...safe })}\n`,
    )
  }
  return {
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  }
}

/**
 * Runs the command; `argv` is what follows `plugin serve` (a leading `plugin serve` is tolerated).
 * Resolves with the exit code: 0 after a signal, 2 for bad arguments, 1 when the host cannot start.
 */
export async function runPluginServeCommand(argv: readonly string[]): Promise<number> {
  const args = [...argv]
  if (args[0] === 'plugin') args.shift()
  if (args[0] === 'serve') args.shift()
  let values: {
    port?: string
    secret?: string
    dest?: string
    host?: string
    state?: string
    api?: string
    help?: boolean
  }
  try {
    values = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        secret: { type: 'string' },
        dest: { type: 'string' },
        host: { type: 'string' },
        state: { type: 'string' },
        api: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`)
    return 2
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const port = Number(values.port ?? '0')
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `--port must be a port number (0-65535), got "${values.port ?? ''}"\n${usage}\n`,
    )
    return 2
  }
  if (values.dest === undefined || values.dest === '') {
    process.stderr.write(`--dest is required: the folder "Send to desktop" saves into\n${usage}\n`)
    return 2
  }
  const log = stderrLogger()
  let host
  try {
    host = await startPluginHost({
      port,
      secret:
        (await readSecret({
          flag: 'secret',
          value: values.secret,
          envName: 'PLAYBOOK_PLUGIN_SECRET',
          env: process.env,
          warn: (text) => process.stderr.write(`${text}\n`),
        })) ?? generateSecret(),
      dest: resolve(values.dest),
      log,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.state === undefined ? {} : { stateDir: resolve(values.state) }),
      // The plugin host talks only to Playbook's hosts and this API's (the sandbox on loopback).
      ...((values.api ?? process.env.PLAYBOOK_API_URL)
        ? { apiUrl: values.api ?? process.env.PLAYBOOK_API_URL }
        : {}),
    })
  } catch (error) {
    process.stderr.write(
      `plugin host could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    return values.secret !== undefined && /secret/.test(String(error)) ? 2 : 1
  }
  process.stdout.write(`${JSON.stringify({ plugins: host.urls })}\n`)
  host.subscribe((event) => {
    if (event.type === 'invocation-finished') {
      log.info('plugin invocation done', {
        invocation: event.invocationToken,
        status: event.status,
        message: event.message,
      })
    }
  })
  const signal = await new Promise<NodeJS.Signals>((done) => {
    const onSignal = (received: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      done(received)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
  log.info('plugin host stopping', { signal })
  await host.close()
  return 0
}
