/**
 * Remembers which plugin invocations the host has taken on, in a small JSON file, so the same
 * `pluginInvocationToken` delivered twice (a retry by Playbook, a replay) does the work once, even
 * across restarts. An invocation that was still running when the process died is resumed by a
 * redelivery: assets already finished are not done again, and partial downloads continue with
 * Range requests. A final status that could not be delivered is sent again on a redelivery.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Where one invocation stands. */
export type LedgerState = 'running' | 'success' | 'failed'

/** What the ledger decided about an incoming invocation. */
export type ClaimResult = 'new' | 'resume' | 'duplicate'

/** What a finished asset left behind, so a resumed run can show it without redoing it. */
export interface AssetResult {
  readonly path?: string
  readonly createdAssetToken?: string
}

/** A final status and whether the callback has it. */
export interface LedgerOutcome {
  readonly status: 'success' | 'failed'
  readonly message: string
  readonly reported: boolean
}

interface LedgerEntry {
  readonly plugin: string
  readonly state: LedgerState
  readonly at: number
  /** Finished assets by their index in the invocation. */
  readonly done?: Readonly<Record<string, AssetResult>>
  readonly outcome?: LedgerOutcome
}

interface LedgerFile {
  readonly version: 1
  readonly invocations: Record<string, LedgerEntry>
}

/** Enough history to recognise any realistic redelivery; older entries are dropped. */
const maxEntries = 10_000

/** The persistent set of handled invocation tokens. */
export interface InvocationLedger {
  /**
   * Decides synchronously (so two concurrent deliveries cannot both win) and records the claim;
   * the returned promise resolves once the claim is on disk.
   */
  claim(
    token: string,
    plugin: string,
  ): { readonly result: ClaimResult; readonly saved: Promise<void> }
  /** Records one finished asset of a running invocation. */
  assetDone(token: string, index: number, result: AssetResult): Promise<void>
  /** The finished assets of an invocation (empty for a new one). */
  doneAssets(token: string): ReadonlyMap<number, AssetResult>
  finish(token: string, outcome: LedgerOutcome): Promise<void>
  /** The final status of a finished invocation whose callback never got it. */
  unreported(token: string): LedgerOutcome | undefined
  /** Lets go of a claim without finishing (the host is closing): a redelivery may resume it. */
  release(token: string): void
  state(token: string): LedgerState | undefined
}

/** Opens the ledger at `file`; a missing file is an empty ledger, a corrupt one is set aside. */
export async function openInvocationLedger(
  file: string,
  now: () => number = Date.now,
  onWarning: (message: string) => void = () => {},
): Promise<InvocationLedger> {
  const entries = new Map<string, LedgerEntry>()
  const active = new Set<string>()
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LedgerFile>
    for (const [token, entry] of Object.entries(parsed.invocations ?? {})) entries.set(token, entry)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      onWarning(`plugin ledger ${file} is unreadable, starting a new one: ${String(error)}`)
      await rename(file, `${file}.corrupt-${now()}`).catch(() => {})
    }
  }

  let writing: Promise<void> = Promise.resolve()
  const save = (): Promise<void> => {
    const next = writing.then(async () => {
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        entries.delete(oldest)
      }
      const body: LedgerFile = { version: 1, invocations: Object.fromEntries(entries) }
      await mkdir(dirname(file), { recursive: true, mode: 0o700 })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(body), { mode: 0o600 })
      await rename(tmp, file)
    })
    writing = next.catch(() => {})
    return next
  }
  const update = (token: string, change: (entry: LedgerEntry) => LedgerEntry): Promise<void> => {
    const known = entries.get(token)
    if (known === undefined) return Promise.resolve()
    entries.set(token, change(known))
    return save()
  }

  return {
    claim(token, plugin) {
      const known = entries.get(token)
      if (active.has(token) || (known !== undefined && known.state !== 'running')) {
        return { result: 'duplicate', saved: Promise.resolve() }
      }
      active.add(token)
      entries.delete(token) // re-insert: the newest entries are the last to be pruned
      entries.set(token, { ...known, plugin, state: 'running', at: now() })
      return { result: known === undefined ? 'new' : 'resume', saved: save() }
    },
    assetDone(token, index, result) {
      return update(token, (entry) => ({ ...entry, done: { ...entry.done, [index]: result } }))
    },
    doneAssets(token) {
      const done = entries.get(token)?.done ?? {}
      return new Map(Object.entries(done).map(([index, result]) => [Number(index), result]))
    },
    finish(token, outcome) {
      active.delete(token)
      return update(token, (entry) => ({
        plugin: entry.plugin,
        state: outcome.status,
        at: now(),
        outcome,
      }))
    },
    unreported(token) {
      const outcome = entries.get(token)?.outcome
      return outcome !== undefined && !outcome.reported && !active.has(token) ? outcome : undefined
    },
    release(token) {
      active.delete(token)
    },
    state(token) {
      return entries.get(token)?.state
    },
  }
}
