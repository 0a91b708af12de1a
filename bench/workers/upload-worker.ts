/**
 * Uploads files through the real transfer queue and reports how long it took. Used for the large
 * file and resume benchmarks; restarted on the same `--home`, it resumes the jobs it finds there.
 *   --api URL --token T --org SLUG --board TOKEN --home DIR --files a,b,c [--chunk BYTES]
 */
import { basename } from 'node:path'
import { stat } from 'node:fs/promises'
import { openKit } from './engine-kit.ts'
import { runMain, send, workerArgs } from './protocol.ts'

runMain(async () => {
  const args = workerArgs(
    ['api', 'token', 'org', 'board', 'home', 'files'],
    ['chunk', 'concurrency'],
  )
  const kit = openKit({
    api: args.api,
    token: args.token,
    home: args.home,
    ...(args.chunk ? { chunkSize: Number(args.chunk) } : {}),
    ...(args.concurrency ? { concurrency: Number(args.concurrency) } : {}),
  })
  const files = args.files.split(',')
  const requests = await Promise.all(
    files.map(async (path) => {
      const info = await stat(path)
      return {
        dedupeKey: `bench:${path}`,
        source: { kind: 'file' as const, path, size: info.size, mtimeMs: info.mtimeMs },
        org: args.org,
        board: args.board,
        title: basename(path),
      }
    }),
  )
  const started = performance.now()
  const cpuAtStart = process.cpuUsage()
  const ids = kit.queue.enqueue(requests)
  send('started', { jobs: ids.length })
  kit.queue.start()
  await kit.queue.drained()
  const elapsedMs = performance.now() - started
  const jobs = ids.map((id) => kit.queue.job(id))
  const cpu = process.cpuUsage(cpuAtStart)
  send('done', {
    elapsedMs,
    // The whole process's CPU (every thread) over the same span as elapsedMs.
    cpuMs: (cpu.user + cpu.system) / 1000,
    states: jobs.map((j) => j?.state.kind ?? 'missing'),
    failures: jobs.flatMap((j) =>
      j?.state.kind === 'failed' ? [`${j.title}: ${j.state.reason}`] : [],
    ),
  })
  await kit.close()
})
