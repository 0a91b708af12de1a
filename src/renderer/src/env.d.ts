import type { PlaybookApi } from '../../shared/contract.ts'

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the headless host's client script; see src/shared/contract.ts. */
    readonly playbook: PlaybookApi
  }
}
