/**
 * What every feature's handlers share: the engine, the host platform (its settings applied to the
 * running engine before they are stored), the folders the user granted, and the lookups that
 * turn a renderer's id into the engine's thing or a refusal in words.
 */
import type { AppSettings, ContractHandlers, EmitEvent, InvokeChannel } from '../shared/contract.ts'
import type { JobSnapshot } from '../shared/job-models.ts'
import type { PairSnapshot } from '../shared/pair-models.ts'
import type { Engine } from './engine-types.ts'
import type { HandlerPlatform } from './contract-handlers-platform.ts'
import { createFolderGrants, folderRefusal } from './path-intent.ts'

/** The handlers of one feature: every channel named `feature:…`, and only those. */
export type FeatureHandlers<Feature extends string> = Pick<
  ContractHandlers,
  Extract<InvokeChannel, `${Feature}:${string}`>
>

/** The state and lookups one `createContractHandlers` call gives all its feature handlers. */
export interface HandlerContext {
  readonly engine: Engine
  /** The host's platform, with settings that reach the running engine before they are stored. */
  readonly platform: HandlerPlatform
  /** Folders the user chose, by the opaque handle the renderer got. */
  readonly folders: ReturnType<typeof createFolderGrants>
  /** Throws the refusal in words when `path` may not be synced or written to. */
  refuseFolder(path: string): Promise<void>
  /** The pair with `id`, or a refusal saying it is no longer synced. */
  pairOf(id: string): PairSnapshot
  /** The job with `id`, or a refusal naming it. */
  job(id: string): JobSnapshot
  /** The API the renderer named, or the host's default. */
  apiUrl(given: string | undefined): string
  /** The signed-in organization's slug, or a refusal asking to sign in. */
  currentOrg(): string
  /** Remembers `token` as the board dropped files go to next (its title looked up once). */
  rememberBoard(token: string): Promise<void>
}

/**
 * Builds the shared context over `engine` and `host`. Nothing of `host` is read until a handler
 * runs, so a test may pass only what its channels use. `emit` (optional) tells renderers when
 * settings change.
 */
export function createHandlerContext(
  engine: Engine,
  host: HandlerPlatform,
  emit?: EmitEvent,
): HandlerContext {
  const platform: HandlerPlatform = {
    ...host,
    settings: {
      get: () => host.settings.get(),
      async set(patch) {
        // The engine takes the new values first (it refuses out-of-range ones in words), so a
        // stored setting is always one that runs; running uploads and pairs follow at once.
        applyLiveSettings(engine, patch)
        if (patch.ignorePatterns !== undefined) await engine.setSharedIgnore(patch.ignorePatterns)
        const next = await host.settings.set(patch)
        emit?.('settings:changed', next)
        return next
      },
    },
  }
  return {
    engine,
    platform,
    folders: createFolderGrants(),
    async refuseFolder(path) {
      const refusal = await folderRefusal(path)
      if (refusal) throw new Error(refusal)
    },
    pairOf(id) {
      const found = engine.pairs().find((p) => p.id === id)
      if (!found) throw new Error('That folder is no longer synced')
      return found
    },
    job(id) {
      const found = engine.jobs().find((j) => j.id === id)
      if (!found) throw new Error(`No job with id ${id}`)
      return found
    },
    apiUrl: (given) => given ?? platform.info.defaultApiUrl,
    currentOrg() {
      const session = engine.session()
      if (session.kind === 'signed-in' && session.org) return session.org.slug
      throw new Error('Sign in and choose an organization first')
    },
    async rememberBoard(token) {
      if (platform.settings.get().lastBoard?.token === token) return
      const boards = await engine.boards().catch(() => [])
      const title = boards.find((b) => b.token === token)?.title ?? token
      await platform.settings.set({ lastBoard: { token, title } })
    },
  }
}

/** Hands the limits in a settings change to the running engine (throws when out of range). */
function applyLiveSettings(engine: Engine, patch: Partial<AppSettings>): void {
  const limits = {
    ...(patch.concurrency === undefined ? {} : { concurrency: patch.concurrency }),
    ...(patch.bandwidthLimit === undefined ? {} : { bwlimit: patch.bandwidthLimit }),
  }
  if (Object.keys(limits).length > 0) engine.setLimits(limits)
}
