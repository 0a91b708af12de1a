/** The headless host's public face: start it with an engine and the built renderer. */
export { startHost, type HostOptions, type RunningHost } from './start-host.ts'
export { fileSettings, memorySettings } from './host-settings.ts'
