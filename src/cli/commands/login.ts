/**
 * `login --token T|- | --email E | --link URL`, `logout`. A token is checked against the API and
 * stored (mode 0600 file); a magic link is requested by e-mail and finished by pasting the link.
 */
import { commands } from '../args.ts'
import type { Command } from '../context.ts'
import { openEngine, toCliError } from '../engine-session.ts'
import { MAGIC_LINK_REDIRECT_URI } from '../../engine/account/magic-link.ts'
import { describeSession } from '../../engine/account/session-machine.ts'
import type { Engine } from '../../engine/engine-types.ts'
import { ExitCode, usageError } from '../exit-codes.ts'
import type { CommandContext } from '../context.ts'

async function pickOrg(engine: Engine, ctx: CommandContext): Promise<void> {
  const session = engine.session()
  if (session.kind !== 'signed-in') return
  const wanted = ctx.config.org
  if (wanted && session.org?.slug !== wanted) {
    await engine.selectOrg(wanted)
    return
  }
  if (session.org) return
  const orgs = await engine.orgs()
  const only = orgs[0]
  if (orgs.length === 1 && only) await engine.selectOrg(only.slug)
  else if (orgs.length > 1)
    ctx.reporter.info(
      `Several organizations (${orgs.map((o) => o.slug).join(', ')}): pass --org SLUG to commands, or log in again with --org.`,
    )
}

function reportSession(engine: Engine, ctx: CommandContext): void {
  const session = engine.session()
  ctx.reporter.result('session', { session }, describeSession(session))
}

/** `login`: exactly one of --token, --email, --link. */
export const loginCommand: Command = async (ctx) => {
  const { values } = ctx.args
  // `--token -` was read from standard input (and a token typed on the command line warned about).
  const token = typeof values.token === 'string' ? ctx.config.tokenFlag : undefined
  const email = typeof values.email === 'string' ? values.email : undefined
  const link = typeof values.link === 'string' ? values.link : undefined
  const given = [token, email, link].filter((v) => v !== undefined).length
  if (given !== 1) {
    throw usageError(
      given === 0 ? 'how do you want to sign in?' : 'give only one of --token, --email, --link',
      `usage: playbook-sync ${commands.login.usage}`,
    )
  }
  if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email))
    throw usageError(`not an e-mail address: "${email}"`)
  const engine = await openEngine(ctx, { persist: true })
  try {
    try {
      if (token !== undefined) {
        ctx.log.addSecret(token)
        await engine.signInWithToken({
          apiUrl: ctx.config.apiUrl,
          token,
          ...(ctx.config.org ? { org: ctx.config.org } : {}),
        })
        await pickOrg(engine, ctx)
      } else if (email !== undefined) {
        await engine.requestMagicLink({
          apiUrl: ctx.config.apiUrl,
          email,
          redirectUri: MAGIC_LINK_REDIRECT_URI,
        })
        ctx.reporter.result(
          'magic-link-sent',
          { email, apiUrl: ctx.config.apiUrl },
          `A sign-in link was sent to ${email}. Open the e-mail, copy the link, and run:\n  playbook-sync login --link '<the link>'`,
        )
        return ExitCode.ok
      } else if (link !== undefined) {
        await engine.completeMagicLink(link)
        await pickOrg(engine, ctx)
      }
    } catch (e) {
      const mapped = toCliError(e)
      if (mapped === e && e instanceof Error && !('kind' in e)) throw usageError(e.message)
      throw mapped
    }
    reportSession(engine, ctx)
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}

/** `logout`: forgets the stored token and session. */
export const logoutCommand: Command = async (ctx) => {
  const engine = await openEngine(ctx, { persist: true })
  try {
    await engine.signOut()
    ctx.reporter.result(
      'session',
      { session: engine.session() },
      'Signed out; the stored token was removed.',
    )
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}
