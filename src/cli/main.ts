/**
 * The CLI's top level: parse, resolve config, pick the output, run the command, and turn every
 * outcome into an exit code (0 ok, 1 files failed, 2 usage/config, 3 auth, 4 local trouble,
 * 130 interrupted).
 */
import { helpText, parseCommandLine } from './args.ts'
import type { CommandName, ParsedArgs } from './args.ts'
import { resolveConfig } from './config.ts'
import type { Command, CommandContext } from './context.ts'
import { CliError, ExitCode } from './exit-codes.ts'
import { createFileLogger } from './log/file-logger.ts'
import { createJsonReporter } from './output/json-reporter.ts'
import { createTtyReporter } from './output/tty-reporter.ts'
import type { Reporter } from './output/reporter.ts'
import type { CliStreams } from './context.ts'
import { isAccountError } from '../engine/account/account-errors.ts'
import { redactText } from '../shared/redact.ts'
import { plainLines } from '../shared/plain-text.ts'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { describeLocalTrouble } from '../engine/store/local-trouble.ts'

export type { CliStreams } from './context.ts'

/** Loads a command's implementation (lazily, so `--help` and `sandbox` start fast). */
async function loadCommand(name: Exclude<CommandName, 'sandbox' | 'plugin'>): Promise<Command> {
  switch (name) {
    case 'upload':
      return (await import('./commands/upload.ts')).uploadCommand
    case 'sync':
      return (await import('./commands/sync.ts')).syncCommand
    case 'login':
      return (await import('./commands/login.ts')).loginCommand
    case 'logout':
      return (await import('./commands/login.ts')).logoutCommand
    case 'whoami':
      return (await import('./commands/account.ts')).whoamiCommand
    case 'boards':
      return (await import('./commands/account.ts')).boardsCommand
    case 'status':
      return (await import('./commands/account.ts')).statusCommand
    case 'upload-anyway':
      return (await import('./commands/upload-anyway.ts')).uploadAnywayCommand
    case 'bootstrap':
      return (await import('./commands/bootstrap.ts')).bootstrapCommand
    case 'demo':
      return (await import('./commands/demo.ts')).demoCommand
    case 'host':
      return (await import('./commands/host.ts')).hostCommand
  }
}

function printError(streams: CliStreams, json: boolean, e: CliError): void {
  if (json) {
    streams.stdout.write(
      `${JSON.stringify({ type: 'error', exitCode: e.exitCode, message: e.message, ...(e.hint ? { hint: e.hint } : {}) })}\n`,
    )
  }
  streams.stderr.write(
    `playbook-sync: ${plainLines(e.message)}\n${e.hint ? `  ${plainLines(e.hint)}\n` : ''}`,
  )
}

/** Runs one command line; resolves to the exit code. `signal` aborts on Ctrl-C. */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let args: ParsedArgs
  const wantsJson = argv.includes('--json')
  try {
    args = parseCommandLine(argv)
  } catch (e) {
    if (e instanceof CliError) {
      printError(streams, wantsJson, e)
      return e.exitCode
    }
    throw e
  }
  if (args.values.help || args.command === undefined) {
    streams.stdout.write(helpText(args.command))
    return args.command === undefined && !args.values.help ? ExitCode.usage : ExitCode.ok
  }
  if (args.command === 'sandbox') {
    const { runSandboxCommand } = await import('../sandbox/command.ts')
    return runSandboxCommand([...args.rest])
  }
  if (args.command === 'plugin') {
    const { runPluginCommand } = await import('./commands/plugin.ts')
    return runPluginCommand(args, env, signal, streams)
  }
  let reporter: Reporter | undefined
  let log
  let home = resolve(
    (args.values.home as string | undefined) ??
      env.PLAYBOOK_SYNC_HOME ??
      join(homedir(), '.playbook-sync'),
  )
  try {
    const config = await resolveConfig(args.values, env, {
      warn: (text) => streams.stderr.write(`${text}\n`),
    })
    home = config.home
    log = createFileLogger(config.home, { echo: config.verbose })
    reporter = config.json
      ? createJsonReporter((l) => streams.stdout.write(l))
      : createTtyReporter(streams.stdout)
    const ctx: CommandContext = { args, config, env, reporter, log, signal }
    const command = await loadCommand(args.command)
    log.info('command', { command: args.command })
    const code = await command(ctx)
    reporter.close()
    return code
  } catch (e) {
    reporter?.close()
    const trouble = e instanceof CliError ? undefined : describeLocalTrouble(e, home)
    const err =
      e instanceof CliError
        ? e
        : trouble !== undefined
          ? new CliError(ExitCode.localTrouble, trouble.message, trouble.hint)
          : isAccountError(e)
            ? new CliError(ExitCode.usage, e.message)
            : new CliError(
                ExitCode.someFailed,
                `unexpected error: ${e instanceof Error ? e.message : String(e)}`,
              )
    if (!(e instanceof CliError) && !isAccountError(e) && trouble === undefined)
      log?.error('unexpected error', {
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      })
    printError(streams, wantsJson, new CliError(err.exitCode, redactText(err.message), err.hint))
    return err.exitCode
  } finally {
    await log?.flush()
  }
}
