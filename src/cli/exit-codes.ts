/** The CLI's exit codes; scripts rely on these numbers. */
export const ExitCode = {
  ok: 0,
  /** Some files failed; they are named in the output. */
  someFailed: 1,
  /** Bad arguments or configuration; the message says what to do. */
  usage: 2,
  /** Not signed in, or the token was rejected. */
  auth: 3,
  /**
   * Local trouble: the disk is full, the state database is damaged or locked, or the home folder
   * cannot be written. The message names the folder and what to do; nothing was lost.
   */
  localTrouble: 4,
  /** Stopped by Ctrl-C / SIGTERM; the queue is saved and the next run resumes. */
  interrupted: 130,
} as const

/** One of the exit codes above. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** An error that ends the CLI with a given exit code and a message meant for a person. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue
  readonly hint: string | undefined
  constructor(exitCode: ExitCodeValue, message: string, hint?: string) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
    this.hint = hint
  }
}

/** A usage or configuration error (exit 2). */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(ExitCode.usage, message, hint)
}

/** Not signed in / token rejected (exit 3). */
export function authError(message: string, hint?: string): CliError {
  return new CliError(
    ExitCode.auth,
    message,
    hint ?? 'run `playbook-sync login --token T` (or `login --email E`) or set PLAYBOOK_TOKEN',
  )
}
