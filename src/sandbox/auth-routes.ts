/**
 * Sign-in routes: magic links (`/v1/auth/magic_link`, `/v1/auth/token`, assumed API), the partner
 * bootstrap (seed 000) and the `/magic_login` page its `redirect_url` points at. Codes work once
 * and expire after 15 minutes of sandbox clock. Any e-mail signs in; unknown ones join the seeded org.
 */
import { HttpError, escapeHtml, isRecord, readJson, sendHtml, sendJson } from './http-util.ts'
import { randomId } from './ids.ts'
import { checkUrlRow, createUrlAsset } from './ingest-routes.ts'
import type { IngestWorker } from './ingest-worker.ts'
import type { MagicCode, User } from './model.ts'
import type { Route, RouteContext } from './router.ts'
import type { SandboxStore } from './store.ts'
import { pageShell } from './web-view.ts'

/** Magic-link codes live this long. */
export const MAGIC_CODE_TTL_MS = 15 * 60 * 1000

/** Builds the sign-in routes. */
export function authRoutes(worker: IngestWorker): Route[] {
  const bootstrapRoute = (pattern: string): Route => ({
    method: 'POST',
    pattern,
    auth: 'integration',
    handle: (ctx) => bootstrap(ctx, worker),
  })
  return [
    { method: 'POST', pattern: '/v1/auth/magic_link', auth: 'none', handle: magicLink },
    { method: 'POST', pattern: '/v1/auth/token', auth: 'none', handle: exchange },
    bootstrapRoute('/api/partner/bootstrap'),
    bootstrapRoute('/v1/bootstrap'),
    { method: 'GET', pattern: '/magic_login', auth: 'none', handle: magicLoginPage },
  ]
}

function issueCode(store: SandboxStore, email: string): MagicCode {
  const code: MagicCode = {
    code: randomId(32),
    email,
    expiresAtMs: store.clock.now() + MAGIC_CODE_TTL_MS,
    used: false,
  }
  store.state.codes[code.code] = code
  store.save()
  return code
}

function withParam(base: string, key: string, value: string): string {
  const url = new URL(base)
  url.searchParams.set(key, value)
  return url.toString()
}

async function magicLink(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  const email = typeof body.email === 'string' ? body.email.trim() : ''
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    throw new HttpError(422, 'email is required (an e-mail address)')
  const redirect =
    typeof body.redirect_uri === 'string' && body.redirect_uri !== ''
      ? body.redirect_uri
      : `${ctx.store.baseUrl}/magic_login`
  try {
    new URL(redirect)
  } catch {
    throw new HttpError(422, 'redirect_uri must be an absolute URL')
  }
  const code = issueCode(ctx.store, email)
  const link = withParam(redirect, 'code', code.code)
  ctx.store.state.mails.push({
    to: email,
    subject: 'Your Playbook sign-in link',
    link,
    created_at: ctx.store.clock.iso(),
  })
  await ctx.store.commit()
  sendJson(ctx.res, 202, { data: { sent: true } })
}

/** The user with this e-mail, created in the seeded org when unknown. */
function userFor(store: SandboxStore, email: string, name?: string): User {
  const existing = store.state.users.find((u) => u.email.toLowerCase() === email.toLowerCase())
  if (existing) return existing
  const user: User = {
    id: store.nextId(),
    email,
    name: name ?? email.split('@')[0] ?? email,
    orgSlugs: [store.state.seed.org],
  }
  store.state.users.push(user)
  store.save()
  return user
}

/** Validates a code: undefined when unknown, used or expired. */
function liveCode(store: SandboxStore, value: string | null | undefined): MagicCode | undefined {
  const code = value ? store.state.codes[value] : undefined
  if (!code || code.used || store.clock.now() > code.expiresAtMs) return undefined
  return code
}

async function exchange(ctx: RouteContext): Promise<void> {
  const body = await readJson(ctx.req)
  if (body.grant_type !== 'magic_link') {
    throw new HttpError(400, 'unsupported_grant_type', {
      body: { error: 'unsupported_grant_type', error_description: 'grant_type must be magic_link' },
    })
  }
  const code = liveCode(ctx.store, typeof body.code === 'string' ? body.code : undefined)
  if (!code) {
    throw new HttpError(400, 'invalid_grant', {
      body: { error: 'invalid_grant', error_description: 'the code is unknown, used or expired' },
    })
  }
  code.used = true
  const user = userFor(ctx.store, code.email)
  const token = ctx.store.issueToken(user.id, 'write')
  await ctx.store.commit()
  sendJson(ctx.res, 200, { access_token: token.token, token_type: 'Bearer', scope: 'read write' })
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

async function bootstrap(ctx: RouteContext, worker: IngestWorker): Promise<void> {
  const { store } = ctx
  const body = await readJson(ctx.req)
  const user = isRecord(body.user) ? body.user : {}
  const organization = isRecord(body.organization) ? body.organization : {}
  const partnerUserId = text(body.partner_user_id)
  const email = text(user.email)
  const name = text(user.name)
  const orgName = text(organization.name)
  const missing = [
    partnerUserId ? undefined : 'partner_user_id',
    email ? undefined : 'user.email',
    name ? undefined : 'user.name',
    orgName ? undefined : 'organization.name',
  ].filter((f): f is string => f !== undefined)
  if (missing.length > 0) throw new HttpError(422, `missing required fields: ${missing.join(', ')}`)
  if (email && !/^[^@\s]+@[^@\s]+$/.test(email))
    throw new HttpError(422, 'user.email is not an e-mail address')
  const boards = body.boards === undefined || body.boards === null ? [] : body.boards
  if (!Array.isArray(boards)) throw new HttpError(422, 'boards must be an array')
  const plans = boards.map((b, i) => {
    if (!isRecord(b) || !text(b.title)) throw new HttpError(422, `boards[${i}].title is required`)
    const assets = b.assets === undefined ? [] : b.assets
    if (!Array.isArray(assets)) throw new HttpError(422, `boards[${i}].assets must be an array`)
    const rows = assets.map((a, j) => {
      const where = `boards[${i}].assets[${j}]`
      if (!isRecord(a)) throw new HttpError(422, `${where} must be an object`)
      if (!text(a.url)) throw new HttpError(422, `${where}.url is required`)
      try {
        return checkUrlRow(
          { uri: a.url, title: a.title ?? a.filename, description: a.description },
          where,
        )
      } catch (error) {
        if (error instanceof HttpError)
          throw new HttpError(422, error.message.replace('.uri', '.url'))
        throw error
      }
    })
    return { title: text(b.title) as string, rows }
  })

  let link = store.state.partners[partnerUserId as string]
  if (!link) {
    const org =
      store.state.orgs.find((o) => o.name.toLowerCase() === (orgName as string).toLowerCase()) ??
      store.createOrg(orgName as string)
    const person = userFor(store, email as string, name)
    if (!person.orgSlugs.includes(org.slug)) person.orgSlugs.push(org.slug)
    const token = store.issueToken(person.id, 'write')
    link = {
      partnerUserId: partnerUserId as string,
      userId: person.id,
      orgSlug: org.slug,
      accessToken: token.token,
    }
    store.state.partners[link.partnerUserId] = link
  }
  const orgSlug = link.orgSlug
  const adding = plans.reduce(
    (n, p) => (store.boardsOf(orgSlug).some((b) => b.title === p.title) ? n : n + p.rows.length),
    0,
  )
  store.checkAssetLimit(orgSlug, adding)
  for (const plan of plans) {
    if (store.boardsOf(orgSlug).some((b) => b.title === plan.title)) continue
    const board = store.createBoard(orgSlug, plan.title)
    for (const row of plan.rows) createUrlAsset(ctx, worker, board, row)
  }
  const person = store.user(link.userId)
  const code = issueCode(store, person?.email ?? (email as string))
  await store.commit()
  sendJson(ctx.res, 200, {
    status: 'success',
    redirect_url: withParam(`${store.baseUrl}/magic_login`, 'token', code.code),
    access_token: link.accessToken,
  })
}

async function magicLoginPage(ctx: RouteContext): Promise<void> {
  const value = ctx.url.searchParams.get('token') ?? ctx.url.searchParams.get('code')
  const code = liveCode(ctx.store, value)
  if (!code) {
    sendHtml(
      ctx.res,
      400,
      pageShell('Link expired', '<h1>This sign-in link has expired</h1><p>Ask for a new one.</p>'),
    )
    return
  }
  const body = `<h1>You are signed in</h1><p>Signed in to the Playbook sandbox as <strong>${escapeHtml(code.email)}</strong>.</p><p><a href="/">See your boards</a></p>`
  sendHtml(ctx.res, 200, pageShell('Signed in', body))
}
