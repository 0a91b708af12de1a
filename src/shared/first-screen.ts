/**
 * The first screen's data in one piece: the answers the renderer asks for when it starts
 * (renderer/src/store/host-sync.ts), gathered by the process that holds the engine so it can draw
 * that screen into the page before the renderer's script has loaded. Electron's main and the
 * headless host gather it the same way, from the same contract handlers.
 */
import type { SessionState } from './account-models.ts'
import type {
  AppInfo,
  AppSettings,
  ContractHandlers,
  JobsSnapshot,
  PluginActivityItem,
  PluginsState,
} from './contract.ts'
import type { PairSnapshot } from './pair-models.ts'
import type { SyncIssue, SyncOverview } from './sync-status-models.ts'

/** How many of the newest jobs a first screen shows: more rows than a window holds. */
export const firstScreenJobs = 100

/** What a signed-in user's first screen shows besides the account. */
export interface SignedInAnswers {
  /** The newest `firstScreenJobs` jobs and the queue's totals. */
  readonly snapshot: JobsSnapshot
  readonly pairs: readonly PairSnapshot[]
  readonly overview: SyncOverview
  readonly issues: readonly SyncIssue[]
}

/** Every answer the first screen is drawn from. */
export interface FirstScreenAnswers {
  readonly info: AppInfo
  readonly session: SessionState
  readonly settings: AppSettings
  readonly plugins: PluginsState
  readonly pluginItems: readonly PluginActivityItem[]
  /** Only for a signed-in user with an organization (the one screen with a queue). */
  readonly signedIn: SignedInAnswers | null
}

/** The handlers the first screen's answers come from. */
export type FirstScreenHandlers = Pick<
  ContractHandlers,
  | 'app:info'
  | 'session:get'
  | 'settings:get'
  | 'plugins:get'
  | 'plugins:items'
  | 'jobs:snapshot'
  | 'pairs:list'
  | 'status:overview'
  | 'issues:list'
>

/** Asks the handlers what the renderer would ask at start-up, all at once. */
export async function gatherFirstScreen(
  handlers: FirstScreenHandlers,
): Promise<FirstScreenAnswers> {
  const [info, session, settings, plugins, pluginItems] = await Promise.all([
    handlers['app:info'](undefined),
    handlers['session:get'](undefined),
    handlers['settings:get'](undefined),
    handlers['plugins:get'](undefined),
    handlers['plugins:items'](undefined),
  ])
  const signedIn =
    session.kind === 'signed-in' && session.org
      ? await Promise.all([
          handlers['jobs:snapshot']({ newest: firstScreenJobs }),
          handlers['pairs:list'](undefined),
          handlers['status:overview'](undefined),
          handlers['issues:list']({}),
        ]).then(([snapshot, pairs, overview, issues]) => ({ snapshot, pairs, overview, issues }))
      : null
  return { info, session, settings, plugins, pluginItems, signedIn }
}
