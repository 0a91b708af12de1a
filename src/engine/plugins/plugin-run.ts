/**
 * What one plugin run is given by the host, and how it reports each asset: shared by the
 * "send to desktop" and "web versions" plugins so both look the same in the activity list.
 */
import type { Logger } from '../engine-types.ts'
import type { CallbackClient } from './callback-client.ts'
import type { AssetResult } from './invocation-ledger.ts'
import type { Invocation, InvokeAsset } from './invocation-schema.ts'
import type { PluginItemState } from './plugin-activity.ts'
import type { RetryPolicy } from './retry.ts'
import type { ByteBudget } from './download-file.ts'
import type { GuardedFetch } from './url-policy.ts'

/** How one asset ended. */
export type AssetOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }

/** Everything a plugin needs to work on one invocation. */
export interface PluginRun {
  readonly invocation: Invocation
  /** The destination folder for files (send-to-desktop). */
  readonly dest: string
  /** Where partial downloads live while they are incomplete. */
  readonly partsDir: string
  readonly retry: RetryPolicy
  readonly signal: AbortSignal
  readonly log: Logger
  readonly callback: CallbackClient
  /** Every outgoing request goes through this (Playbook hosts only, no private addresses). */
  readonly fetch: GuardedFetch
  /** The largest single file a plugin downloads. */
  readonly maxAssetBytes: number
  /** What the whole invocation may still download. */
  readonly budget: ByteBudget
  /** Runs `work` when a transfer slot is free (the host bounds concurrent transfers). */
  readonly slot: <T>(work: () => Promise<T>) => Promise<T>
  /** Reports a new state for the asset at `index`. */
  readonly update: (index: number, state: PluginItemState) => void
  /** Records the asset at `index` as finished (persistently: a resumed run will not redo it). */
  readonly done: (index: number, result: AssetResult) => Promise<void>
  /** Assets an earlier, interrupted run of this invocation already finished. */
  readonly alreadyDone: ReadonlyMap<number, AssetResult>
}

/** The part file for one asset of one invocation: stable, so a redelivery resumes it. */
export function partFileName(invocationToken: string, index: number, asset: InvokeAsset): string {
  return `${invocationToken}-${index}-${asset.token}.part`
}

/**
 * The error's message, for activity rows and the status message sent to Playbook. File system
 * errors carry local paths, which are the user's business: only their code is shown.
 */
export function reasonOf(error: unknown): string {
  const fsError = error as NodeJS.ErrnoException
  if (typeof fsError.code === 'string' && typeof fsError.path === 'string') {
    return `cannot write the file (${fsError.code})`
  }
  if (!(error instanceof Error)) return 'failed'
  // Network failures say nothing about which addresses or ports answered (no port scanner).
  const cause = error.cause as { name?: unknown; message?: unknown } | undefined
  if (cause?.name === 'PluginUrlError' && typeof cause.message === 'string')
    return `refused: ${cause.message}`
  if (error.name === 'PluginUrlError') return `refused: ${error.message}`
  if (error instanceof TypeError || typeof (error as { code?: unknown }).code === 'string')
    return 'could not reach the server'
  return error.message
}

/**
 * Runs `each` over every asset (each in a transfer slot), skipping those an interrupted run
 * already finished; one asset's failure never stops the rest. Rejects only when the run is
 * aborted, and then only after every asset has stopped.
 */
export async function forEachAsset(
  run: PluginRun,
  each: (asset: InvokeAsset, index: number) => Promise<AssetOutcome>,
): Promise<readonly AssetOutcome[]> {
  const settled = await Promise.allSettled(
    run.invocation.assets.map((asset, index) =>
      run.slot(async (): Promise<AssetOutcome> => {
        if (run.signal.aborted) throw run.signal.reason
        const earlier = run.alreadyDone.get(index)
        if (earlier !== undefined) {
          run.update(index, { kind: 'done', ...earlier })
          return { kind: 'done' }
        }
        try {
          return await each(asset, index)
        } catch (error) {
          if (run.signal.aborted) throw error
          run.log.warn('plugin asset failed', { asset: asset.token, error: String(error) })
          const reason = reasonOf(error)
          run.update(index, { kind: 'failed', reason })
          return { kind: 'failed', reason }
        }
      }),
    ),
  )
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason
    return result.value
  })
}
