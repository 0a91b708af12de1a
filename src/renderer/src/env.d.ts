import type { PlaybookApi } from '../../shared/contract.ts'

declare global {
  interface Window {
    /** Exposed by the preload in Electron; absent in a plain browser (the headless host's socket is used). */
    readonly playbook?: PlaybookApi
  }
}
