/**
 * Opening the engine for a command and making sure it is signed in to the right org, turning
 * every way that can fail into the CLI's exit codes (3 for auth, 2 for configuration).
 */
import type { Engine } from '../engine/engine-types.ts'
import { createEngine } from '../engine/app.ts'
import {
  createFileSecretStore,
  createMemorySecretStore,
  tokenFile,
} from '../engine/account/file-secret-store.ts'
import { isPlaybookError } from '../engine/playbook/errors.ts'
import type { SessionState } from '../shared/account-models.ts'
import type { CommandContext } from './context.ts'
import { authError, CliError, usageError } from './exit-codes.ts'

/** What a command needs running: nothing (read-only), the queue (upload), or sync too. */
export interface OpenOptions {
  readonly persist?: boolean
  readonly work?: 'none' | 'upload' | 'sync'
  /** With work 'sync': keep watching after the catch-up. */
  readonly watch?: boolean
}

/**
 * Creates the engine. Tokens from flag or env stay in memory (never written) unless `persist`
 * (`login`, `bootstrap`); otherwise the token a previous login stored is used.
 */
export async function openEngine(ctx: CommandContext, options: OpenOptions = {}): Promise<Engine> {
  const { config } = ctx
  const ephemeral = config.tokenFlag !== undefined && options.persist !== true
  const work = options.work ?? 'none'
  const secrets = ephemeral
    ? createMemorySecretStore()
    : createFileSecretStore(tokenFile(config.home))
  if (!ephemeral) {
    const stored = await secrets.get()
    if (stored) ctx.log.addSecret(stored)
  }
  const engine = await createEngine({
    home: config.home,
    secrets,
    log: ctx.log,
    persistSession: !ephemeral,
    startQueue: work !== 'none',
    startSync: work === 'sync',
    watch: work === 'sync' && options.watch === true,
    processName: `playbook-sync ${ctx.args.command ?? ''}`.trim(),
    onWaitingForHome: (message) => ctx.reporter.info(message),
    ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
    ...(config.chunkSize !== undefined ? { chunkSize: config.chunkSize } : {}),
    ...(config.bwlimit !== undefined ? { bwlimit: config.bwlimit } : {}),
  })
  return engine
}

/** Maps an engine/API error to a CLI error when it is about auth or config; else rethrows it. */
export function toCliError(e: unknown): unknown {
  if (e instanceof CliError) return e
  if (isPlaybookError(e)) {
    if (e.kind === 'auth') return authError(`the token was rejected: ${e.message}`)
    if (e.kind === 'forbidden')
      return authError(`the token may not do this: ${e.message}`, 'use a token with write access')
    if (e.kind === 'network')
      return usageError(
        `cannot reach the API: ${e.message}`,
        'check --api / PLAYBOOK_API_URL and the network',
      )
  }
  return e
}

/**
 * Signs in with the flag/env token, or checks the stored session, then selects the org
 * (--org, else the saved one, else the only one). Exit 3 when there is no usable token.
 */
export async function requireSignIn(
  engine: Engine,
  ctx: CommandContext,
): Promise<SessionState & { kind: 'signed-in' }> {
  const { config } = ctx
  let session = engine.session()
  try {
    if (config.tokenFlag !== undefined) {
      ctx.log.addSecret(config.tokenFlag)
      session = await engine.signInWithToken({
        apiUrl: config.apiUrl,
        token: config.tokenFlag,
        ...(config.org ? { org: config.org } : {}),
      })
    } else if (session.kind === 'signed-out' || session.kind === 'waiting-for-link') {
      throw authError('not signed in')
    } else if (session.kind === 'expired') {
      throw authError(`the stored token for ${session.apiUrl} was rejected`)
    } else if (config.apiFlag && config.apiFlag !== session.apiUrl) {
      throw authError(
        `signed in to ${session.apiUrl}, not ${config.apiFlag}`,
        'run `playbook-sync login …` for that API, or set PLAYBOOK_TOKEN',
      )
    }
    if (session.kind !== 'signed-in') throw authError('not signed in')
    if (config.org && session.org?.slug !== config.org) session = await engine.selectOrg(config.org)
    if (session.kind === 'signed-in' && !session.org) {
      const orgs = await engine.orgs()
      const only = orgs[0]
      if (orgs.length === 1 && only) session = await engine.selectOrg(only.slug)
      else if (orgs.length === 0) throw usageError('this account belongs to no organization')
      else
        throw usageError(
          `several organizations: ${orgs.map((o) => o.slug).join(', ')}`,
          'choose one with --org SLUG or PLAYBOOK_ORG',
        )
    }
  } catch (e) {
    throw toCliError(e)
  }
  const now = engine.session()
  if (now.kind === 'expired') throw authError(`the token for ${now.apiUrl} was rejected`)
  if (now.kind !== 'signed-in') throw authError('not signed in')
  return now
}

/** Checks that `board` is one of the org's boards; exit 2 naming it otherwise. */
export async function requireBoard(
  engine: Engine,
  board: string | undefined,
  usage: string,
): Promise<string> {
  if (!board)
    throw usageError(
      '--board is required',
      `usage: playbook-sync ${usage}; list boards with \`playbook-sync boards\``,
    )
  let boards
  try {
    boards = await engine.boards()
  } catch (e) {
    throw toCliError(e)
  }
  const found = boards.find((b) => b.token === board)
  if (!found) {
    throw usageError(
      `unknown board "${board}" in this organization`,
      'list boards with `playbook-sync boards`',
    )
  }
  return found.token
}
