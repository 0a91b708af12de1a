/**
 * The engine's face: what the CLI, Electron main and the headless host call. One implementation
 * (src/engine/app.ts composes it from its ports); no front end has logic of its own.
 */
import type { Board, Org, SessionState } from '../shared/account-models.ts'
import type {
  BoardMapping,
  PairPreview,
  PairSettings,
  PairSnapshot,
} from '../shared/pair-models.ts'
import type { JobSnapshot, QueueTotals } from '../shared/job-models.ts'
import type { SkippedFile, SyncIssue, SyncOverview } from '../shared/sync-status-models.ts'

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
  /** Tuning; defaults: concurrency 4, chunk 8 MiB, no bandwidth cap. Change live with `setLimits`. */
  readonly concurrency?: number
  readonly chunkSize?: number
  readonly bwlimit?: number
  /** Ignore patterns every pair applies on top of its own (change live with `setSharedIgnore`). */
  readonly ignorePatterns?: readonly string[]
  /**
   * Whether `signInWithToken` keeps the token in `secrets` (default true). The CLI passes a
   * memory store for tokens given by flag or environment, so those are never written to disk.
   */
  readonly persistSession?: boolean
  /** Start the transfer queue at once (default true); read-only CLI commands pass false. */
  readonly startQueue?: boolean
  /** Start the sync engine (scan and watch every pair) at once (default true). */
  readonly startSync?: boolean
  /** Watch paired folders live after the catch-up scan (default true; false for `sync --once`). */
  readonly watch?: boolean
  /**
   * One writer per home: an engine that starts the queue or sync first waits until no other
   * process runs one on this home (see store/home-lock.ts). This names this process in the other
   * side's waiting message (default "Playbook Sync").
   */
  readonly processName?: string
  /** Told (once) when another process holds the home and this one waits for it. */
  readonly onWaitingForHome?: (message: string) => void
}

/** Seed 000: partner-provisioned installs create (or find) org, user and boards in one call. */
export interface BootstrapInput {
  readonly apiUrl: string
  /** The partner's backend secret; from the environment or an admin config only. */
  readonly integrationToken: string
  readonly partnerUserId: string
  readonly email: string
  readonly name: string
  readonly orgName: string
  readonly boards?: readonly {
    readonly title: string
    readonly assets?: readonly {
      readonly url: string
      readonly filename?: string
      readonly description?: string
    }[]
  }[]
}

/** What bootstrap returns: the magic link for the person, and the session it signed in to. */
export interface BootstrapResult {
  readonly status: string
  readonly redirectUrl: string | null
  readonly session: SessionState
}

/** The built-in sandbox as the engine started it (for the demo's board page URL). */
export interface SandboxInfo {
  readonly url: string
  readonly org: string
  readonly boards: readonly { readonly token: string; readonly title: string }[]
}

/** Everything the engine tells its front ends, one event per change. */
export type EngineEvent =
  | { readonly type: 'session'; readonly session: SessionState }
  | { readonly type: 'job'; readonly job: JobSnapshot }
  | { readonly type: 'job-progress'; readonly job: JobSnapshot }
  | { readonly type: 'totals'; readonly totals: QueueTotals }
  | { readonly type: 'pair'; readonly pair: PairSnapshot }
  | { readonly type: 'pair-removed'; readonly pairId: string }
  /** The overall status changed (at most a few times a second). */
  | { readonly type: 'overview'; readonly overview: SyncOverview }
  | {
      readonly type: 'notice'
      readonly level: 'info' | 'warning' | 'error'
      readonly message: string
      /** A file that cannot be uploaded (named in a run's failures), and why. */
      readonly file?: { readonly path: string; readonly reason: string }
      /** Uploads stopped because of a local problem (disk full, database damaged or locked). */
      readonly halted?: boolean
    }

/** The commands every front end uses. */
export interface Engine {
  session(): SessionState
  signInWithToken(input: { apiUrl: string; token: string; org?: string }): Promise<SessionState>
  requestMagicLink(input: { apiUrl: string; email: string; redirectUri: string }): Promise<void>
  completeMagicLink(link: string): Promise<SessionState>
  /** Starts the built-in sandbox in-process and signs in to it. */
  useSandbox(): Promise<SessionState>
  /** The in-process sandbox, when `useSandbox` started one. */
  sandboxInfo(): SandboxInfo | undefined
  /** Seed 000 bootstrap; signs in with the returned access token. */
  bootstrap(input: BootstrapInput): Promise<BootstrapResult>
  signOut(): Promise<void>
  orgs(): Promise<readonly Org[]>
  selectOrg(slug: string): Promise<SessionState>
  boards(query?: string): Promise<readonly Board[]>

  /**
   * Files and folders (expanded, junk skipped); returns job ids. A file the board already holds
   * (same name and size) is recorded done without uploading, unless `force`.
   */
  uploadPaths(
    paths: readonly string[],
    board: string,
    options?: { priority?: number; force?: boolean },
  ): Promise<readonly string[]>
  uploadUrls(
    urls: readonly string[],
    board: string,
    options?: { asLink?: boolean },
  ): Promise<readonly string[]>
  /** Every job oldest first; with `newest`, only that many of the newest, newest first. */
  jobs(options?: { readonly newest?: number }): readonly JobSnapshot[]
  totals(): QueueTotals
  pause(jobId?: string): void
  resume(jobId?: string): void
  cancel(jobId: string): void
  retry(jobId?: string): void

  /**
   * Counts what pairing `folder` would do; with `board`, also the files the board already holds
   * and the folder tree as a board tree under `mapping` (default: sub-folders as child boards).
   */
  previewFolder(
    folder: string,
    settings?: Partial<PairSettings>,
    board?: string,
    mapping?: BoardMapping,
  ): Promise<PairPreview>
  addPair(input: {
    folder: string
    board: string
    boardTitle?: string
    settings?: Partial<PairSettings>
    /** Where sub-folders go (default: each to a child board; `flatMapping` for `--flat`). */
    mapping?: BoardMapping
  }): Promise<PairSnapshot>
  /** Changes where a pair's sub-folders go; new and changed files follow the new mapping. */
  mapPair(pairId: string, mapping: BoardMapping): Promise<PairSnapshot>
  removePair(pairId: string): Promise<void>
  pairs(): readonly PairSnapshot[]
  /** Retries the pair's (or every pair's) issues, then looks for changes. */
  syncNow(pairId?: string): Promise<void>
  /** Stops watching and uploading one pair (or all) until resumed; kept across restarts. */
  pausePair(pairId?: string): void
  resumePair(pairId?: string): void
  /**
   * Changes one pair's settings while it runs; its next scan (started at once) applies them.
   * Out-of-range values throw in words; nothing is clamped.
   */
  updatePair(pairId: string, settings: Partial<PairSettings>): Promise<PairSnapshot>
  /**
   * Changes the upload limits while uploads run (bandwidth cap in bytes/s, 0 for none; files at
   * once 1..16). Out-of-range values throw in words; nothing is clamped.
   */
  setLimits(limits: { readonly concurrency?: number; readonly bwlimit?: number }): void
  /** Replaces the ignore patterns every pair shares; every running pair rescans at once. */
  setSharedIgnore(patterns: readonly string[]): Promise<void>
  /** Files that need attention, with reasons in plain words (one pair or all). */
  issues(pairId?: string): readonly SyncIssue[]
  /** Brings issues back: one file, one pair's or all; resolves once they are queued again. */
  retryIssues(input?: { pairId?: string; relPath?: string }): Promise<number>
  /** Files skipped on purpose (ignore rule, same content, skipped change), with reasons. */
  skipped(pairId?: string): readonly SkippedFile[]
  /**
   * The image behind a finished link job's asset (its `display_url`, fetched under the Playbook
   * URL policy), for the row's thumbnail; null when there is none.
   */
  assetPreview(jobId: string): Promise<Uint8Array | null>
  /** Queues one skipped file with force, exactly once; resolves with its job id. */
  uploadAnyway(input: { pairId: string; relPath: string }): Promise<string>
  /** The one overall status every front end (sidebar, cards, tray, CLI) shows. */
  overview(): SyncOverview

  subscribe(listener: (event: EngineEvent) => void): () => void
  /** Resolves when the queue is drained and no pair (or the given pair) is scanning or settling. */
  idle(pairId?: string): Promise<void>
  close(): Promise<void>
}
