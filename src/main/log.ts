/**
 * Main-process logging: electron-log to a rotating file in the logs folder, every line redacted
 * (the access token, bearer headers, signed URL parameters) before it is written anywhere.
 */
import log from 'electron-log/main'
import type { Logger } from '../engine/engine-types.ts'
import { redactLogParts } from './log-redaction.ts'

const maxLogBytes = 5 * 1024 * 1024

/** Sets up electron-log once; `secrets` returns values to strip verbatim (the current token). */
export function initLogging(secrets: () => readonly string[]): Logger {
  // No renderer preload: the renderer's only bridge is `window.playbook`.
  log.initialize({ preload: false })
  log.transports.file.maxSize = maxLogBytes // rotates to main.old.log
  log.transports.file.level = 'info'
  log.transports.console.level = process.env.NODE_ENV === 'development' ? 'debug' : 'warn'
  log.hooks.push((message) => ({
    ...message,
    data: redactLogParts(message.data as unknown[], secrets()),
  }))
  const line =
    (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
      fields ? log[level](message, fields) : log[level](message)
  return { info: line('info'), warn: line('warn'), error: line('error') }
}

/** The log file's path, for "Show logs". */
export function logFilePath(): string {
  return log.transports.file.getFile().path
}
