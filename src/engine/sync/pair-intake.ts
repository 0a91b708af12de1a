/**
 * How files reach a pair's work chain: every touched path waits in the settle tracker, settled and
 * vanished paths are gathered into batches (flushed when full or after a short pause, so an event
 * storm becomes a few large batches), and each batch runs on the pair's serial work chain.
 */
import { isStateTrouble } from '../store/local-trouble.ts'
import type { EngineCore } from './engine-core.ts'
import { factsOf, lstatOrMissing } from './file-facts.ts'
import type { ScannedFile } from './file-facts.ts'
import { processGone, processPresent } from './pair-worker.ts'
import { absolutePath } from './worker-context.ts'
import type { PairHandle } from './worker-context.ts'
import type { Runtime } from './pair-runtime.ts'
import { createSettler } from './settle.ts'
import type { Settler } from './settle.ts'

/** The intake of every pair. */
export interface PairIntake {
  /** Runs `fn` after the pair's earlier work; failures are logged, never thrown. */
  enqueueWork(rt: Runtime, what: string, fn: () => Promise<void>): Promise<void>
  /** Something happened at `relPath`: wait for it to settle, then process it. */
  touch(rt: Runtime, relPath: string): void
  /** The pair as the worker sees it. */
  handleOf(rt: Runtime): PairHandle
}

const FLUSH_DELAY_MS = 50

/** Builds the intake over the engine's core. */
export function createPairIntake(core: EngineCore): PairIntake {
  const { log, changed } = core
  const ctx = core.worker

  const handleOf = (rt: Runtime): PairHandle => ({
    id: rt.row.id,
    org: rt.row.org,
    board: rt.row.board,
    settings: rt.row.settings,
    folder: rt.row.folder,
    resettle: (relPath) => touch(rt, relPath),
  })

  const enqueueWork = (rt: Runtime, what: string, fn: () => Promise<void>): Promise<void> => {
    rt.inFlight++
    const next = rt.work.then(async () => {
      if (rt.removed) return
      try {
        await fn()
      } catch (error) {
        if (isStateTrouble(error)) core.onTrouble(error)
        log.error(`sync ${what} failed`, {
          pairId: rt.row.id,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    })
    rt.work = next.finally(() => {
      rt.inFlight--
      changed(rt)
    })
    return rt.work
  }

  const makeSettler = (rt: Runtime): Settler =>
    createSettler({
      settleMs: rt.row.settings.settleMs,
      now: Date.now,
      stat: async (relPath) => {
        const info = await lstatOrMissing(absolutePath(rt.row.folder, relPath))
        return info?.isFile() ? factsOf(info) : undefined
      },
      onSettled: (relPath, facts) => {
        rt.gone.delete(relPath)
        rt.present.set(relPath, facts)
        scheduleFlush(rt)
      },
      onGone: (relPath) => {
        rt.present.delete(relPath)
        rt.gone.add(relPath)
        scheduleFlush(rt)
      },
      onError: (relPath, error) => {
        log.warn('cannot check file', { pairId: rt.row.id, relPath, error: String(error) })
        changed(rt)
      },
    })

  const touch = (rt: Runtime, relPath: string): void => {
    if (rt.removed || rt.row.paused) return
    rt.settler ??= makeSettler(rt)
    rt.settler.touch(relPath)
    changed(rt)
  }

  const scheduleFlush = (rt: Runtime): void => {
    changed(rt)
    if (rt.present.size >= ctx.batchSize) {
      flush(rt)
      return
    }
    if (rt.flushTimer) return
    rt.flushTimer = setTimeout(() => flush(rt), FLUSH_DELAY_MS)
  }

  const flush = (rt: Runtime): void => {
    if (rt.flushTimer) clearTimeout(rt.flushTimer)
    rt.flushTimer = undefined
    if (rt.present.size === 0 && rt.gone.size === 0) return
    const files: ScannedFile[] = [...rt.present].map(([relPath, facts]) => ({ relPath, ...facts }))
    const gone = [...rt.gone]
    rt.present.clear()
    rt.gone.clear()
    void enqueueWork(rt, 'batch', async () => {
      const pair = handleOf(rt)
      for (let i = 0; i < files.length; i += ctx.batchSize) {
        await processPresent(ctx, pair, files.slice(i, i + ctx.batchSize))
        changed(rt)
      }
      await processGone(ctx, pair, gone)
    })
  }

  return { enqueueWork, touch, handleOf }
}
