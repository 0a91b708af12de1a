/**
 * The plugin host's public face: what the CLI (`plugin serve`) and the desktop app (settings
 * toggle, activity list) import. Everything else in this folder is internal.
 */
export { startPluginHost } from './plugin-host.ts'
export type { PluginHost, PluginHostOptions } from './plugin-host.ts'
export { runPluginServeCommand } from './serve-command.ts'
export { pluginNames } from './plugin-activity.ts'
export type {
  PluginHostEvent,
  PluginHostListener,
  PluginItemSnapshot,
  PluginItemState,
  PluginName,
} from './plugin-activity.ts'
export { generateSecret } from './secret.ts'
export type { RetryPolicy } from './retry.ts'
export { safeFileName } from './safe-file-name.ts'
