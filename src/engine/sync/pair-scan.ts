/**
 * The catch-up scan of one pair: walks the folder, sends files that are still being written to
 * the settle tracker and the rest, in batches, to the worker, marks what vanished, and records a
 * folder that went missing (falling back to periodic rescans) or came back. The index's facts are
 * read once, up front, into a map by path: a file found with the same size, mtime and inode as a
 * file that has landed costs one map lookup (no query, no read), and what is left in the map at
 * the end is what vanished.
 */
import { cannotUploadNotice } from '../../shared/plain-words.ts'
import { join } from 'node:path'
import { isStateTrouble } from '../store/local-trouble.ts'
import type { EngineCore } from './engine-core.ts'
import type { ScannedFile } from './file-facts.ts'
import type { PairIntake } from './pair-intake.ts'
import type { Runtime } from './pair-runtime.ts'
import type { PairWatching } from './pair-watching.ts'
import { processGone, processPresent } from './pair-worker.ts'
import { sweepSuperseded } from './pair-submit.ts'
import { splitRel } from './ignore-rules.ts'
import { ignoredReasonPrefix, setAsideIgnored, takeBackUnignored } from './ignore-changes.ts'
import { walkFolder } from './scanner.ts'
import { recordIgnored } from './ignored-record.ts'
import type { IgnoredEntry } from './ignored-record.ts'

/**
 * Files a scan hands the worker at once (one lookup, one hashing pass and one enqueue per chunk;
 * the queue keeps its totals incrementally, so a chunk costs the same wherever it falls). A
 * chunk's objects are what is alive whenever the young generation is collected: a small chunk
 * keeps that small, so a scan of 100,000 files does not make V8 double its young generation.
 */
const SCAN_CHUNK = 100

/** Folders a scan lists at once. */
const WALK_CONCURRENCY = 2

/**
 * How often a scan reports its progress (a pair snapshot recounts the pair's files, and asks the
 * queue about retries: work that grows with the pair, so not once per chunk).
 */
const PROGRESS_INTERVAL_MS = 500

/** Scans of every pair. */
export interface PairScans {
  /** Queues a scan on the pair's work chain (one waiting scan at most); resolves when it ran. */
  requestScan(rt: Runtime): Promise<void>
}

/** Builds the scan part over the engine's core, intake and watching. */
export function createPairScans(
  core: EngineCore,
  intake: PairIntake,
  watching: PairWatching,
): PairScans {
  const { store, log, now, changed, emit } = core
  const ctx = core.worker
  const { touch, handleOf } = intake

  const runScan = async (rt: Runtime): Promise<void> => {
    rt.scanning = true
    changed(rt)
    const pair = handleOf(rt)
    const chunk = SCAN_CHUNK
    const settleMs = rt.row.settings.settleMs
    // Every live file of the index, by path; each one found is taken out, so what is left at the
    // end vanished. Read before the walk: files the scan itself records are not in it.
    const known = store.liveFacts(rt.row.id)
    const ignoredEntries: IgnoredEntry[] = []
    // Files set aside by the ignore rules, and those of them this walk finds (the rules take them again).
    const aside = new Set(
      store
        .skippedFiles(rt.row.id)
        .filter((row) => row.reason?.startsWith(ignoredReasonPrefix))
        .map((row) => row.relPath),
    )
    const foundAside = new Set<string>()
    const abort = new AbortController()
    let reportedAt = Date.now()
    let ready: ScannedFile[] = []
    let processing: Promise<void> = Promise.resolve()
    /** Set when the pair was paused or removed mid-scan (the walk is aborted) or the scan ended. */
    let halted = false

    // Files are processed while the walk goes on, one chunk at a time on one chain; the walk
    // waits while a chunk is processed, so at most about a chunk of files is held at once.
    const processReady = (): Promise<void> => {
      const files = ready
      ready = []
      processing = processing.then(async () => {
        if (halted) return
        if (rt.removed || rt.row.paused) {
          halted = true
          abort.abort()
          return
        }
        await processPresent(ctx, pair, files)
        if (Date.now() - reportedAt >= PROGRESS_INTERVAL_MS) {
          reportedAt = Date.now()
          changed(rt)
        }
      })
      return processing
    }

    try {
      const walk = await walkFolder(rt.row.folder, rt.rules, {
        // Two folders listed at once keep the disk busy while a chunk is processed; each one more
        // holds its listing and a batch of files in memory while it waits for the worker.
        concurrency: WALK_CONCURRENCY,
        signal: abort.signal,
        onIgnored: (relPath, kind) => {
          // An ignored file stays in `known`: its row is set aside below (or kept, when it was
          // uploaded anyway), never taken for vanished.
          ignoredEntries.push({ relPath, kind })
        },
        onFiles: async (found) => {
          if (halted) return
          const wallNow = Date.now()
          for (const file of found) {
            const unchanged = known.take(file.relPath, file)
            if (aside.has(file.relPath)) foundAside.add(file.relPath)
            if (wallNow - file.mtimeMs < settleMs) touch(rt, file.relPath)
            else if (!unchanged) ready.push(file)
          }
          if (ready.length >= chunk) await processReady()
        },
      })
      if (ready.length > 0) await processReady()
      await processing
      if (rt.error) log.info('folder is back', { pairId: rt.row.id })
      rt.error = undefined
      if (rt.rescanCause === 'missing') {
        watching.stopRescans(rt)
        watching.openWatcher(rt)
      }
      for (const problem of walk.errors) {
        log.warn('cannot read', { pairId: rt.row.id, ...problem })
        // Named every scan (each run's summary lists it) until the file is fixed.
        const path = join(rt.row.folder, ...splitRel(problem.relPath))
        emit({
          type: 'notice',
          level: 'error',
          message: cannotUploadNotice(path, problem.message),
          file: { path, reason: problem.message },
        })
      }
      if (halted) {
        rt.row = { ...rt.row, ignoredCount: walk.ignored }
        store.updatePair(rt.row.id, { ignoredCount: walk.ignored })
        return
      }
      // Rules changed since the last scan: files they now leave out are set aside (not gone),
      // files they take again are queued.
      const takenBack = await takeBackUnignored(ctx, rt, foundAside)
      if (takenBack.length > 0) await processPresent(ctx, pair, takenBack)
      const vanished = await setAsideIgnored(ctx, rt, known.paths())
      // Counted after setting aside: a file with a row of its own is not counted twice.
      const ignoredCount = recordIgnored(core, rt, ignoredEntries)
      rt.row = { ...rt.row, ignoredCount }
      store.updatePair(rt.row.id, { ignoredCount })
      await processGone(ctx, pair, vanished)
      sweepSuperseded(ctx, rt.row.id)
      rt.row = { ...rt.row, lastSyncAt: now() }
      store.updatePair(rt.row.id, { lastSyncAt: rt.row.lastSyncAt })
    } catch (error) {
      if (halted && abort.signal.aborted) return
      // The state database failed, not the folder: no folder hint; the engine stops and says so.
      if (isStateTrouble(error)) {
        core.onTrouble(error)
        return
      }
      const reason = error instanceof Error ? error.message : String(error)
      const isNew = rt.error?.reason !== reason
      rt.error = {
        reason,
        hint: 'Check that the folder exists and is readable (reconnect the drive, or re-pair the folder).',
      }
      if (isNew) {
        log.warn('scan failed', { pairId: rt.row.id, reason })
        emit({ type: 'notice', level: 'error', message: reason })
      }
      if (core.watchEnabled && core.isStarted() && rt.rescanCause === undefined) {
        void watching.closeWatcher(rt)
        rt.watch = { mode: 'rescan', reason }
        watching.startRescans(rt, 'missing')
      }
    } finally {
      halted = true
      // A walk that failed may leave a chunk in progress: the scan ends after it.
      await processing.catch(() => undefined)
      rt.scanning = false
      changed(rt)
    }
  }

  const requestScan = (rt: Runtime): Promise<void> => {
    if (rt.scanQueued) return rt.scanQueued
    const queued = intake.enqueueWork(rt, 'scan', async () => {
      rt.scanQueued = undefined
      await runScan(rt)
    })
    rt.scanQueued = queued
    changed(rt)
    return queued
  }

  return { requestScan }
}
