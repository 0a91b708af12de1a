/** The headless host's public face: start it with an engine and the built renderer. */

/** Start the host; see HostOptions. */
export { startHost, type HostOptions, type RunningHost } from './start-host.ts'
/** Settings ports for the host: a private JSON file, or memory (tests). */
export { fileSettings, memorySettings } from './host-settings.ts'
/** Run the host over a persistent engine (what `run-host.ts` does from the command line). */
export { runHost, type RunHostOptions } from './run-host.ts'
/** Plugin host settings for the host: a private JSON file, or memory (tests). */
export { filePluginSettings, memoryPluginSettings } from './plugin-settings.ts'
