/**
 * The engine's face: what the CLI, Electron main and the headless host call. One implementation
 * (src/engine/app.ts composes it from its ports); no front end has logic of its own.
 */
import type { Board, Org, SessionState } from '../shared/account-models.ts'
import type { PairPreview, PairSettings, PairSnapshot } from '../shared/pair-models.ts'
import type { JobSnapshot, QueueTotals } from '../shared/job-models.ts'

/** Where the access token lives: safeStorage in Electron, a private file for the CLI. */
export interface SecretStore {
  get(): Promise<string | undefined>
  set(value: string): Promise<void>
  clear(): Promise<void>
}

/** Log lines; implementations must redact tokens and signed URLs. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Time, passed in so tests and the sandbox can move it. */
export interface Clock {
  now(): number
}

/** What the engine is given by whoever hosts it. */
export interface EnginePorts {
  /** Folder for the state database, settings and logs (PLAYBOOK_SYNC_HOME for the CLI). */
  readonly home: string
  readonly secrets: SecretStore
  readonly log: Logger
  readonly clock?: Clock
  /** Tuning; defaults: concurrency 4, chunk 8 MiB, no bandwidth cap. */
  readonly concurrency?: number
  readonly chunkSize?: number
  readonly bwlimit?: number
}

/** Everything the engine tells its front ends, one event per change. */
export type EngineEvent =
  | { readonly type: 'session'; readonly session: SessionState }
  | { readonly type: 'job'; readonly job: JobSnapshot }
  | { readonly type: 'job-progress'; readonly job: JobSnapshot }
  | { readonly type: 'totals'; readonly totals: QueueTotals }
  | { readonly type: 'pair'; readonly pair: PairSnapshot }
  | { readonly type: 'pair-removed'; readonly pairId: string }
  | { readonly type: 'notice'; readonly level: 'info' | 'warning' | 'error'; readonly message: string }

/** The commands every front end uses. */
export interface Engine {
  session(): SessionState
  signInWithToken(input: { apiUrl: string; token: string; org?: string }): Promise<SessionState>
  requestMagicLink(input: { apiUrl: string; email: string; redirectUri: string }): Promise<void>
  completeMagicLink(link: string): Promise<SessionState>
  /** Starts the built-in sandbox in-process and signs in to it. */
  useSandbox(): Promise<SessionState>
  signOut(): Promise<void>
  orgs(): Promise<readonly Org[]>
  selectOrg(slug: string): Promise<SessionState>
  boards(query?: string): Promise<readonly Board[]>

  /** Files and folders (expanded, junk skipped); returns job ids. */
  uploadPaths(paths: readonly string[], board: string, options?: { priority?: number }): Promise<readonly string[]>
  uploadUrls(urls: readonly string[], board: string, options?: { asLink?: boolean }): Promise<readonly string[]>
  jobs(): readonly JobSnapshot[]
  totals(): QueueTotals
  pause(jobId?: string): void
  resume(jobId?: string): void
  cancel(jobId: string): void
  retry(jobId?: string): void

  previewFolder(folder: string, settings?: Partial<PairSettings>): Promise<PairPreview>
  addPair(input: { folder: string; board: string; boardTitle?: string; settings?: Partial<PairSettings> }): Promise<PairSnapshot>
  removePair(pairId: string): Promise<void>
  pairs(): readonly PairSnapshot[]
  syncNow(pairId?: string): Promise<void>

  subscribe(listener: (event: EngineEvent) => void): () => void
  /** Resolves when the queue is drained and no pair is scanning. */
  idle(): Promise<void>
  close(): Promise<void>
}
