/**
 * The CLI's Logger port: JSON lines appended to `home/logs/playbook-sync-YYYY-MM-DD.log`, every
 * line redacted, optionally echoed to stderr (`--verbose`). stdout stays free for the CLI's output.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../../engine/engine-types.ts'
import { redactFields, redactText } from '../../shared/redact.ts'

/** A logger that can be told about secrets as they become known, and flushed before exit. */
export interface CliLogger extends Logger {
  /** Adds a value that must never appear in a log line (the access token, once known). */
  addSecret(secret: string): void
  /** Resolves once every line so far is on disk. */
  flush(): Promise<void>
  readonly file: string
}

/** Creates the logger; nothing is written until the first line. */
export function createFileLogger(home: string, options: { echo?: boolean } = {}): CliLogger {
  const dir = join(home, 'logs')
  const file = join(dir, `playbook-sync-${new Date().toISOString().slice(0, 10)}.log`)
  const secrets: string[] = []
  let chain: Promise<void> = mkdir(dir, { recursive: true, mode: 0o700 }).then(
    () => undefined,
    () => undefined,
  )
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      message: redactText(message, secrets),
      ...(fields ? { fields: redactFields(fields, secrets) } : {}),
    })
    if (options.echo) process.stderr.write(`${line}\n`)
    chain = chain.then(() => appendFile(file, `${line}\n`, { mode: 0o600 })).catch(() => undefined)
  }
  return {
    file,
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    addSecret: (s) => {
      if (s && !secrets.includes(s)) secrets.push(s)
    },
    flush: () => chain,
  }
}
