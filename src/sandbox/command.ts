/**
 * `playbook-sync sandbox [--port N] [--host H] [--data DIR] [--network …] [--storage …] […]`: starts
 * the sandbox, prints its `SandboxInfo` as the first line on stdout, logs one line per request to
 * stderr (route patterns only: no tokens, no signatures) and stops cleanly on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path'
import { startSandbox } from './index.ts'
import { LINK_PROFILES, resolveLinkProfile } from './link-profile.ts'
import type { LinkProfile } from './link-profile.ts'
import type { UploadUrlMethod } from './model.ts'

const USAGE = `usage: playbook-sync sandbox [--port N] [--host 127.0.0.1] [--data DIR]
                             [--network ${Object.keys(LINK_PROFILES).join('|')}] [--latency MS] [--bandwidth MBIT]
                             [--storage gcs|backblaze] [--upload-url-method any|POST|PUT]
  --network NAME   simulate a network link (wan: 40 ms round trip, 200 Mbit/s each way)
  --latency MS     round-trip time added to every request (overrides the profile's)
  --bandwidth MBIT bandwidth cap per direction in Mbit/s (overrides the profile's)
  --storage NAME   what prepare hands out: gcs (resumable sessions, default) or backblaze
                   (single PUT, multipart parts over 8 MiB)
  --upload-url-method M
                   what a GCS upload_url is signed for: any (default), POST (a resumable
                   session start, seed 002) or PUT (the whole file in one request, seed 003)
`

interface SandboxArgs {
  readonly port: number
  readonly host: string
  readonly dataDir: string | undefined
  readonly network: LinkProfile
  readonly storage: 'gcs' | 'backblaze'
  readonly uploadUrlMethod: UploadUrlMethod
}

function numberArg(name: string, text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n))
    throw new Error(`${name} must be a number, got "${text}"`)
  return n
}

function parseArgs(argv: readonly string[]): SandboxArgs | 'help' {
  let port = 0
  let host = '127.0.0.1'
  let dataDir: string | undefined
  let profile: string | undefined
  let latencyMs: number | undefined
  let bandwidthMbit: number | undefined
  let storage: 'gcs' | 'backblaze' = 'gcs'
  let uploadUrlMethod: UploadUrlMethod = 'any'
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const value = (): string => {
      if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1)
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) throw new Error(`${name} needs a value`)
      i++
      return next
    }
    switch (name) {
      case '--help':
      case '-h':
        return 'help'
      case '--port': {
        const text = value()
        port = Number(text)
        if (!/^\d+$/.test(text) || port > 65535)
          throw new Error(`--port must be a number 0-65535, got "${text}"`)
        break
      }
      case '--host':
        host = value()
        break
      case '--data':
        dataDir = resolve(value())
        break
      case '--network':
        profile = value()
        break
      case '--latency':
        latencyMs = numberArg(name, value())
        break
      case '--bandwidth':
        bandwidthMbit = numberArg(name, value())
        break
      case '--storage': {
        const text = value()
        if (text !== 'gcs' && text !== 'backblaze')
          throw new Error(`--storage must be gcs or backblaze, got "${text}"`)
        storage = text
        break
      }
      case '--upload-url-method': {
        const text = value()
        if (text !== 'any' && text !== 'POST' && text !== 'PUT')
          throw new Error(`--upload-url-method must be any, POST or PUT, got "${text}"`)
        uploadUrlMethod = text
        break
      }
      default:
        throw new Error(`unknown option "${arg}"`)
    }
  }
  const network = resolveLinkProfile({
    ...(profile === undefined ? {} : { profile }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(bandwidthMbit === undefined ? {} : { bandwidthMbit }),
  })
  return { port, host, dataDir, network, storage, uploadUrlMethod }
}

/** Runs the sandbox until SIGINT / SIGTERM; resolves with the exit code (2 for bad arguments). */
export async function runSandboxCommand(argv: readonly string[]): Promise<number> {
  let args: SandboxArgs | 'help'
  try {
    args = parseArgs(argv)
  } catch (error) {
    process.stderr.write(`playbook-sync sandbox: ${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if (args === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`)
  }
  // Handlers go in before anything is printed: a signal that arrives with none installed kills
  // the process outright, leaving the temp folder behind.
  let signalled: (signal: string) => void = () => {}
  const stopRequested = new Promise<string>((resolve) => {
    signalled = resolve
  })
  const onInt = (): void => signalled('SIGINT')
  const onTerm = (): void => signalled('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  try {
    let sandbox
    try {
      sandbox = await startSandbox({
        port: args.port,
        host: args.host,
        dataDir: args.dataDir,
        log,
        network: args.network,
        storage: { provider: args.storage, uploadUrlMethod: args.uploadUrlMethod },
      })
    } catch (error) {
      process.stderr.write(`playbook-sync sandbox: ${(error as Error).message}\n`)
      return 2
    }
    process.stdout.write(`${JSON.stringify(sandbox.info)}\n`)
    const { latencyMs, bandwidthMbit } = args.network
    const link =
      latencyMs > 0 || bandwidthMbit !== null
        ? `, network ${latencyMs} ms round trip, ${bandwidthMbit === null ? 'no bandwidth cap' : `${bandwidthMbit} Mbit/s`}`
        : ''
    log(
      `sandbox listening on ${sandbox.url} (org ${sandbox.org}), data in ${sandbox.dataDir}${args.dataDir ? '' : ' (temporary)'}${link}`,
    )
    const signal = await stopRequested
    log(`${signal}: stopping`)
    try {
      await sandbox.close()
    } catch (error) {
      log(`error while stopping: ${(error as Error).message}`)
      return 1
    }
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
  return 0
}
