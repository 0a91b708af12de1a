/**
 * Runs the real sync engine over one folder ↔ board pair, for the small-files, scan, watch and
 * torture runs. Modes:
 *  - once:  catch-up scan, upload everything, wait until idle, report, exit
 *  - scan:  catch-up scan only (queue not started: measures walk, hash, index and enqueue), exit
 *  - watch: scan, then watch live until killed; `--report-jobs 1` reports job transitions
 *   --api URL --token T --org SLUG --board TOKEN --home DIR --folder DIR --mode M
 *   [--settle MS] [--retry-failed 1] [--grace MS]
 */
import type { PairSettings } from '../../src/shared/pair-models.ts'
import { createSyncEngine } from '../../src/engine/sync/sync-engine.ts'
import { openKit } from './engine-kit.ts'
import { runMain, send, workerArgs } from './protocol.ts'

runMain(async () => {
  const args = workerArgs(
    ['api', 'token', 'org', 'board', 'home', 'folder', 'mode'],
    ['settle', 'report-jobs', 'retry-failed', 'verbose', 'grace'],
  )
  const mode = args.mode
  if (mode !== 'once' && mode !== 'scan' && mode !== 'watch')
    throw new Error(`unknown mode ${mode}`)
  const kit = openKit({
    api: args.api,
    token: args.token,
    home: args.home,
    verbose: !!args.verbose,
    ...(args.grace ? { completionGraceMs: Number(args.grace) } : {}),
  })
  const settings: Partial<PairSettings> = args.settle ? { settleMs: Number(args.settle) } : {}
  const sync = createSyncEngine({
    db: kit.db,
    queue: kit.queue,
    log: kit.log,
    watch: mode === 'watch',
  })
  if (args['report-jobs']) {
    kit.queue.subscribe((event) => {
      if (event.type !== 'job-added' && event.type !== 'job-changed') return
      send('job', {
        id: event.job.id,
        relPath: event.job.relPath ?? null,
        state: event.job.state.kind,
        at: Date.now(),
      })
    })
  }
  const pair = await sync.addPair({
    folder: args.folder,
    org: args.org,
    board: args.board,
    settings,
  })
  const started = performance.now()
  const cpuAtStart = process.cpuUsage()

  if (mode === 'scan') {
    const progress = setInterval(
      () =>
        send('progress', {
          elapsedMs: performance.now() - started,
          queued: kit.queue.totals().queued,
        }),
      2000,
    )
    await sync.scan(pair.id)
    clearInterval(progress)
    const elapsedMs = performance.now() - started
    const cpu = process.cpuUsage(cpuAtStart)
    send('scanned', {
      elapsedMs,
      // CPU time of the scan (user + system): steadier than wall time on a busy machine.
      cpuMs: (cpu.user + cpu.system) / 1000,
      queued: kit.queue.totals().queued,
      counts: sync.pair(pair.id)?.counts,
    })
    await sync.stop()
    await kit.close()
    return
  }

  kit.queue.start()
  if (mode === 'watch') {
    // Ctrl-C: stop at a safe point, as the CLI does, and exit 130.
    process.once('SIGINT', () => {
      void (async () => {
        await sync.stop()
        await kit.close()
        process.exit(130)
      })()
    })
  }
  if (args['retry-failed']) {
    send('retrying', { failed: kit.queue.totals().failed })
    kit.queue.retry()
  }
  await sync.start()
  await sync.idle(pair.id)
  const elapsedMs = performance.now() - started
  if (mode === 'watch') {
    send('ready', { elapsedMs })
    // Runs until the harness kills it.
    await new Promise(() => {})
    return
  }
  const files = sync.fileStates(pair.id)
  const byState: Record<string, number> = {}
  for (const file of files) byState[file.state] = (byState[file.state] ?? 0) + 1
  const jobs = kit.queue.jobs()
  const jobStates: Record<string, number> = {}
  for (const job of jobs) jobStates[job.state.kind] = (jobStates[job.state.kind] ?? 0) + 1
  send('done', {
    elapsedMs,
    totals: kit.queue.totals(),
    fileStates: byState,
    jobStates,
    notSynced: files
      .filter((f) => f.state !== 'synced' && f.state !== 'deleted')
      .slice(0, 20)
      .map((f) => `${f.relPath}: ${f.state}${f.reason ? ` (${f.reason})` : ''}`),
    failedJobs: jobs
      .filter((j) => j.state.kind === 'failed')
      .slice(0, 20)
      .map((j) => `${j.relPath ?? j.title}: ${j.state.kind === 'failed' ? j.state.reason : ''}`),
  })
  await sync.stop()
  await kit.close()
})
