/**
 * Entry of the headless CLI `playbook-sync` (bin/playbook-sync.js runs the built copy). Ctrl-C or
 * SIGTERM asks the running command to stop at a safe point; a second Ctrl-C exits at once.
 */
import { runCli } from './main.ts'
import { ExitCode } from './exit-codes.ts'

const controller = new AbortController()
let stopping = false
const onSignal = (): void => {
  if (stopping) process.exit(ExitCode.interrupted)
  stopping = true
  controller.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const code = await runCli(process.argv.slice(2), process.env, controller.signal).catch(
  (e: unknown) => {
    process.stderr.write(`playbook-sync: ${e instanceof Error ? e.message : String(e)}\n`)
    return ExitCode.someFailed
  },
)
process.exitCode = code
// Servers and watchers are closed by the commands; do not wait for stray handles either.
setTimeout(() => process.exit(code), 200).unref()
