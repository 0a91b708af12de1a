/** What every command is given: parsed arguments, resolved config, output, log and a stop signal. */
import type { ParsedArgs } from './args.ts'
import type { CliConfig } from './config.ts'
import type { CliLogger } from './log/file-logger.ts'
import type { Reporter } from './output/reporter.ts'

/** One CLI run's shared things. */
export interface CommandContext {
  readonly args: ParsedArgs
  readonly config: CliConfig
  readonly env: NodeJS.ProcessEnv
  readonly reporter: Reporter
  readonly log: CliLogger
  /** Aborted on Ctrl-C / SIGTERM: commands stop at a safe point and return. */
  readonly signal: AbortSignal
}

/** A command: returns its exit code (or throws a CliError). */
export type Command = (ctx: CommandContext) => Promise<number>

/** Where the CLI's text goes (injectable for tests). */
export interface CliStreams {
  readonly stdout: {
    write(text: string): unknown
    readonly isTTY?: boolean
    readonly columns?: number
  }
  readonly stderr: { write(text: string): unknown }
}
