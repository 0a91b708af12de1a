/**
 * Resolves where the CLI works and with what: flags win over environment variables, which win
 * over what a previous `login` saved in the home folder. Bad values are usage errors (exit 2).
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { readSessionSettings, settingsFile } from '../engine/account/settings-file.ts'
import type { Readable } from 'node:stream'
import { readSecret } from '../engine/secret-input.ts'
import { apiUrlProblem } from '../shared/api-url.ts'
import { maxConcurrency } from '../engine/transfer/types.ts'
import { usageError } from './exit-codes.ts'

/** The production API, used when nothing else says where to go. */
export const DEFAULT_API_URL = 'https://api.playbook.com'
const CHUNK_UNIT = 256 * 1024

/** Everything a command needs to know before it talks to anyone. */
export interface CliConfig {
  readonly home: string
  /** Explicit API URL (flag or env), if any. */
  readonly apiFlag: string | undefined
  /** API URL to use: explicit, else the saved one, else production. */
  readonly apiUrl: string
  /** Token from flag or env (never persisted); otherwise the stored one is used. */
  readonly tokenFlag: string | undefined
  readonly org: string | undefined
  readonly json: boolean
  readonly verbose: boolean
  readonly concurrency: number | undefined
  readonly chunkSize: number | undefined
  readonly bwlimit: number | undefined
}

type Values = Readonly<Record<string, string | boolean | undefined>>

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw usageError(`--${name} must be a positive whole number, got "${raw}"`)
  }
  return Number(raw)
}

/** Files at once: the same 1..16 the app's settings accept (refused, never clamped). */
function filesAtOnce(value: number | undefined): number | undefined {
  if (value !== undefined && value > maxConcurrency)
    throw usageError(
      `--concurrency must be a whole number from 1 to ${maxConcurrency}, got ${value}`,
    )
  return value
}

/** Checks an API URL is an http(s) URL. */
export function checkApiUrl(raw: string, source: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw usageError(`${source} is not a URL: "${raw}"`, 'use e.g. https://api.playbook.com')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${source} must be http(s): "${raw}"`)
  }
  const problem = apiUrlProblem(raw)
  if (problem) throw usageError(`${source} ${problem}: "${url.origin}"`)
  return raw.replace(/\/+$/, '')
}

/** Builds the config from parsed values and the environment. */
export async function resolveConfig(
  values: Values,
  env: NodeJS.ProcessEnv,
  io: { readonly stdin?: Readable; readonly warn?: (text: string) => void } = {},
): Promise<CliConfig> {
  const home = resolve(
    str(values.home) ?? str(env.PLAYBOOK_SYNC_HOME) ?? join(homedir(), '.playbook-sync'),
  )
  const saved = await readSessionSettings(settingsFile(home))
  const apiRaw = str(values.api) ?? str(env.PLAYBOOK_API_URL)
  const apiFlag =
    apiRaw === undefined
      ? undefined
      : checkApiUrl(apiRaw, values.api ? '--api' : 'PLAYBOOK_API_URL')
  const chunkSize = positiveInt('chunk-size', str(values['chunk-size']))
  if (chunkSize !== undefined && chunkSize % CHUNK_UNIT !== 0) {
    throw usageError(
      `--chunk-size must be a multiple of ${CHUNK_UNIT} (256 KiB), got ${chunkSize}`,
      `try --chunk-size ${Math.max(1, Math.round(chunkSize / CHUNK_UNIT)) * CHUNK_UNIT}`,
    )
  }
  return {
    home,
    apiFlag,
    apiUrl: apiFlag ?? saved.apiUrl ?? DEFAULT_API_URL,
    tokenFlag: await readSecret({
      flag: 'token',
      value: values.token,
      envName: 'PLAYBOOK_TOKEN',
      env,
      ...(io.stdin ? { stdin: io.stdin } : {}),
      warn: io.warn ?? ((text) => process.stderr.write(`${text}\n`)),
    }).catch((e: unknown) => {
      throw usageError((e as Error).message)
    }),
    org: str(values.org) ?? str(env.PLAYBOOK_ORG) ?? saved.org?.slug,
    json: values.json === true,
    verbose: values.verbose === true,
    concurrency: filesAtOnce(positiveInt('concurrency', str(values.concurrency))),
    chunkSize,
    bwlimit: positiveInt('bwlimit', str(values.bwlimit)),
  }
}
