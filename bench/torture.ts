/**
 * `npm run torture [-- --rounds N --files N --seed S --quick]`: syncs a folder while faults are
 * injected, the sync process is SIGKILLed and restarted and files change underneath it; then checks
 * that every file is on the board exactly once with the right bytes. Exit 1 when it is not.
 */
import { parseArgs } from 'node:util'
import { runTorture } from './lib/torture-run.ts'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      files: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  })
  const quick = values.quick === true
  const number = (raw: string | undefined, fallback: number, name: string): number => {
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} must be a whole number, got "${raw}"`)
    return n
  }
  const rounds = number(values.rounds, quick ? 5 : 25, 'rounds')
  const files = number(values.files, quick ? 60 : 300, 'files')
  const seed = number(values.seed, Math.floor(Math.random() * 2 ** 31), 'seed')
  console.log(`torture: ${rounds} rounds, ${files} files, seed ${seed}`)
  const started = performance.now()
  const report = await runTorture({ rounds, files, seed, log: (line) => console.log(`  ${line}`) })
  console.log(
    [
      `rounds ${report.rounds}`,
      `kills ${report.kills} (${report.completionKills} in a held completion)`,
      `faults ${report.faults}`,
      `edits ${report.edits}`,
      `renames ${report.renames}`,
      `moves before a kill ${report.moves}`,
      `adds ${report.adds}`,
      `files ${report.files}`,
      `assets ${report.assets}`,
      `failed jobs retried at the end ${report.failedBeforeRetry}`,
      `${Math.round((performance.now() - started) / 1000)} s`,
    ].join(' · '),
  )
  if (report.ok) {
    console.log(
      'verdict: PASS (every file once on the board with the right sha256, queue empty, no duplicates)',
    )
    return
  }
  console.log(`verdict: FAIL (replay with --seed ${report.seed})`)
  for (const problem of report.problems.slice(0, 50)) console.log(`  - ${problem}`)
  if (report.problems.length > 50) console.log(`  … and ${report.problems.length - 50} more`)
  process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
