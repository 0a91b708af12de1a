/**
 * Main-process logging: electron-log to a rotating file in the logs folder, every line redacted
 * (the access token, bearer headers, signed URL parameters) before it is written anywhere.
 * electron-log's IPC pieces are switched off: the renderer gets nothing outside the contract, and
 * main listens on no channel outside it.
 */
import log from 'electron-log/main'
import type { Logger } from '../engine/engine-types.ts'
import { dropForeignChannel } from './ipc/serve-contract.ts'
import { redactLogParts } from './log-redaction.ts'

const maxLogBytes = 5 * 1024 * 1024
/** The channel electron-log listens and answers on (renderer → main logging we do not use). */
const electronLogChannel = '__ELECTRON_LOG__'

/** Sets up electron-log once; `secrets` returns values to strip verbatim (the current token). */
export function initLogging(secrets: () => readonly string[]): Logger {
  // No renderer preload: the renderer's only bridge is `window.playbook`.
  log.initialize({ preload: false })
  // In development electron-log mirrors every line to each window on its own channel.
  log.transports.ipc.level = false
  dropForeignChannel(electronLogChannel)
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
