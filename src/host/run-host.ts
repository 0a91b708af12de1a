/**
 * Runs the headless host for people without a display (and for looking at the UI in any browser):
 * the engine in PLAYBOOK_SYNC_HOME, the token in a private file, the built renderer from
 * out/renderer. `npm run build && npx node src/host/run-host.ts [--port N]`, then open the URL.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFileSecretStore, tokenFile } from '../engine/account/file-secret-store.ts'
import { createFileLogger } from '../cli/log/file-logger.ts'
import { createPluginService } from '../engine/plugin-service.ts'
import { fileSettings } from './host-settings.ts'
import { filePluginSettings } from './plugin-settings.ts'
import { startHost, type RunningHost } from './start-host.ts'
import type { Engine } from '../engine/engine-types.ts'
import { configuredApi, productionApiUrl } from '../engine/contract-handlers.ts'
import { createTerminalConfirm } from './terminal-confirm.ts'

/** Options for `runHost`. */
export interface RunHostOptions {
  readonly port?: number
  readonly home?: string
  readonly rendererDir?: string
  readonly apiUrl?: string
  /** Where folder confirmations are asked and answered (standard input and error by default). */
  readonly confirm?: (question: string) => Promise<boolean>
}

/** Starts the host over a persistent engine; stop it with `close()` (Ctrl-C does it for the script). */
export async function runHost(options: RunHostOptions = {}): Promise<RunningHost> {
  const home = options.home ?? process.env.PLAYBOOK_SYNC_HOME ?? join(homedir(), '.playbook-sync')
  const log = createFileLogger(home)
  const secrets = createFileSecretStore(tokenFile(home))
  const token = await secrets.get()
  if (token) log.addSecret(token)
  const settings = await fileSettings(join(home, 'app-settings.json'))
  const { concurrency, bandwidthLimit, ignorePatterns } = settings.get()
  // The engine starts after the plugin service; until then the configured API is the one asked for.
  const started: { engine?: Engine } = {}
  const fallbackApi = options.apiUrl ?? process.env.PLAYBOOK_API_URL ?? productionApiUrl
  const plugins = await createPluginService({
    apiUrl: () => (started.engine ? configuredApi(started.engine, fallbackApi) : fallbackApi),
    settings: filePluginSettings(join(home, 'plugin-settings.json')),
    defaultDest: join(home, 'downloads'),
    stateDir: join(home, 'plugins'),
    log,
  })
  const terminal = options.confirm ? undefined : createTerminalConfirm()
  const confirm = options.confirm ?? terminal?.confirm
  const host = await startHost({
    ...(confirm ? { confirm } : {}),
    port: options.port ?? 0,
    enginePorts: {
      home,
      log,
      concurrency,
      ...(bandwidthLimit > 0 ? { bwlimit: bandwidthLimit } : {}),
      ignorePatterns,
      secrets: {
        get: () => secrets.get(),
        async set(value) {
          log.addSecret(value)
          await secrets.set(value)
        },
        clear: () => secrets.clear(),
      },
    },
    rendererDir:
      options.rendererDir ??
      resolve(fileURLToPath(new URL('.', import.meta.url)), '../../out/renderer'),
    settings,
    plugins,
    defaultApiUrl: options.apiUrl ?? process.env.PLAYBOOK_API_URL,
  }).catch(async (error: unknown) => {
    terminal?.close()
    await plugins.close()
    throw error
  })
  started.engine = host.engine
  return {
    ...host,
    async close() {
      terminal?.close()
      await host.close()
      await plugins.close()
    },
  }
}

const isMain =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const portFlag = process.argv.indexOf('--port')
  const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write('run-host: --port must be a number from 0 to 65535\n')
    process.exit(2)
  }
  const host = await runHost({ port })
  process.stdout.write(`${JSON.stringify({ url: host.url })}\n`)
  const stop = () => void host.close().finally(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
