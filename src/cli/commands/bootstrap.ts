/**
 * `bootstrap --partner-user-id ID --email E --name N --org-name O [--boards FILE]` (seed 000), for
 * partner-provisioned installs. The integration token is a backend secret and comes only from
 * PLAYBOOK_INTEGRATION_TOKEN. Stores the returned access token and prints the magic link.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { commands } from '../args.ts'
import type { Command } from '../context.ts'
import { openEngine, toCliError } from '../engine-session.ts'
import { isPlaybookError } from '../../engine/playbook/errors.ts'
import type { BootstrapInput } from '../../engine/engine-types.ts'
import { ExitCode, usageError } from '../exit-codes.ts'

const boardsFileSchema = z.array(
  z.object({
    title: z.string().min(1),
    assets: z
      .array(
        z.object({
          url: z.url(),
          filename: z.string().optional(),
          description: z.string().optional(),
        }),
      )
      .optional(),
  }),
)

/** Reads and checks a boards file: a JSON array of {title, assets?: [{url, filename?, description?}]}. */
export async function readBoardsFile(file: string): Promise<NonNullable<BootstrapInput['boards']>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw usageError(`cannot read --boards file ${file}: ${(e as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw usageError(`--boards file ${file} is not JSON: ${(e as Error).message}`)
  }
  const list =
    json !== null && typeof json === 'object' && 'boards' in json
      ? (json as { boards: unknown }).boards
      : json
  const parsed = boardsFileSchema.safeParse(list)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw usageError(
      `--boards file ${file}: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`,
      'expected [{"title": "…", "assets": [{"url": "https://…", "filename": "…"}]}]',
    )
  }
  return parsed.data
}

/** The `bootstrap` command (see the file comment). */
export const bootstrapCommand: Command = async (ctx) => {
  const v = ctx.args.values
  const usage = `usage: playbook-sync ${commands.bootstrap.usage}`
  const need = (name: string): string => {
    const value = v[name]
    if (typeof value !== 'string' || value.trim() === '')
      throw usageError(`--${name} is required`, usage)
    return value
  }
  const partnerUserId = need('partner-user-id')
  const email = need('email')
  const name = need('name')
  const orgName = need('org-name')
  const integrationToken = ctx.env.PLAYBOOK_INTEGRATION_TOKEN
  if (!integrationToken) {
    throw usageError(
      'PLAYBOOK_INTEGRATION_TOKEN is not set',
      'bootstrap needs the partner integration token in the environment (it is never a flag)',
    )
  }
  ctx.log.addSecret(integrationToken)
  const boards = typeof v.boards === 'string' ? await readBoardsFile(v.boards) : undefined
  const engine = await openEngine(ctx, { persist: true })
  try {
    let result
    try {
      result = await engine.bootstrap({
        apiUrl: ctx.config.apiUrl,
        integrationToken,
        partnerUserId,
        email,
        name,
        orgName,
        ...(boards ? { boards } : {}),
      })
    } catch (e) {
      // A 401 here is about the integration token, not a user's sign-in: a configuration error.
      if (isPlaybookError(e)) {
        throw usageError(
          `bootstrap was refused: ${e.message}`,
          e.kind === 'auth'
            ? 'check PLAYBOOK_INTEGRATION_TOKEN and --api'
            : 'check the arguments and --boards file',
        )
      }
      throw toCliError(e)
    }
    const session = result.session
    const org = session.kind === 'signed-in' ? session.org : null
    ctx.reporter.result(
      'bootstrap',
      { status: result.status, redirectUrl: result.redirectUrl, org, session },
      [
        `Bootstrap ${result.status}: signed in${org ? ` to ${org.slug} (${org.name})` : ''}; the access token is stored.`,
        ...(result.redirectUrl ? [`Magic login link for ${email}: ${result.redirectUrl}`] : []),
      ].join('\n'),
    )
    return ExitCode.ok
  } finally {
    await engine.close()
  }
}
