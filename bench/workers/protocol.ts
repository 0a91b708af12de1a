/**
 * The worker side of the harness protocol: one `@bench {json}` line per message on stdout, each
 * carrying the worker's own peak RSS so the harness has it even when sampling missed the peak.
 */
import { parseArgs } from 'node:util'

/** Prints one message for the harness. */
export function send(type: string, fields: Readonly<Record<string, unknown>> = {}): void {
  const maxRssBytes = process.resourceUsage().maxRSS * 1024
  process.stdout.write(`@bench ${JSON.stringify({ type, ...fields, maxRssBytes })}\n`)
}

/** Reads `--name value` options; every option is a string. Missing required ones fail clearly. */
export function workerArgs<K extends string>(
  required: readonly K[],
  optional: readonly string[] = [],
): Readonly<Record<K, string>> & Readonly<Record<string, string | undefined>> {
  const names = [...required, ...optional]
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    allowPositionals: false,
  })
  for (const name of required) {
    if (typeof values[name] !== 'string') throw new Error(`worker: --${name} is required`)
  }
  return values as Readonly<Record<K, string>> & Readonly<Record<string, string | undefined>>
}

/** Runs `main`, reporting a failure as a message and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      send('error', { message })
      process.stderr.write(`${message}\n`)
      process.exit(1)
    },
  )
}
