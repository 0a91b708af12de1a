/**
 * Secrets on a command line are visible to every user of the machine (`ps`, /proc/PID/cmdline).
 * Commands take them from an environment variable or from standard input (`--flag -`); a value
 * given on the command line still works, with a warning that says how to do it safely.
 */
import type { Readable } from 'node:stream'

/** Where a secret may come from, and how to warn. */
export interface SecretSource {
  /** The flag's name without dashes, for messages. */
  readonly flag: string
  /** The flag's value as parsed: a string, `-` for standard input, or absent. */
  readonly value: unknown
  /** The environment variable that may carry it instead. */
  readonly envName: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdin?: Readable
  readonly warn: (text: string) => void
}

/** The secret, read from stdin for `-`, from the flag (warned about) or from the environment. */
export async function readSecret(source: SecretSource): Promise<string | undefined> {
  const { flag, value, envName } = source
  if (value === '-') {
    const secret = (await readAll(source.stdin ?? process.stdin)).trim()
    if (secret === '') throw new Error(`--${flag} -: nothing was read from standard input`)
    return secret
  }
  if (typeof value === 'string' && value !== '') {
    source.warn(
      `warning: --${flag} on the command line can be read by other users of this machine; ` +
        `set ${envName}, or pass --${flag} - and give it on standard input`,
    )
    return value
  }
  const fromEnv = source.env[envName]
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
}

async function readAll(stream: Readable): Promise<string> {
  let text = ''
  for await (const chunk of stream) {
    text += String(chunk)
    if (text.length > 64 * 1024) throw new Error('standard input: a secret is not that long')
  }
  return text
}
