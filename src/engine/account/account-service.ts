/**
 * Accounts and the session: sign in with a token, by magic link, by partner bootstrap or into the
 * built-in sandbox; choose an org; list boards. Owns the session state machine, persists its
 * non-secret half in the home folder and the token only through the SecretStore, and turns a 401
 * anywhere into `expired`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Board, Org, SessionState } from '../../shared/account-models.ts'
import type { Engine, Logger, SandboxInfo, SecretStore } from '../engine-types.ts'
import { createPlaybookClient } from '../playbook/client.ts'
import type { PlaybookClient } from '../playbook/client.ts'
import { isPlaybookError, PlaybookError } from '../playbook/errors.ts'
import type { Http } from '../playbook/http.ts'
import type { BoardRecord, OrgRecord } from '../playbook/schemas.ts'
import { apiUrlProblem, isSafeApiUrl } from '../../shared/api-url.ts'
import { AccountError } from './account-errors.ts'
import {
  magicLinkTtlMs,
  parseMagicLinkCode,
  parseMagicLinkState,
  redirectWithState,
} from './magic-link.ts'
import { nextSession } from './session-machine.ts'
import type { SessionAction } from './session-machine.ts'
import { readSessionSettings, settingsFile, writeSessionSettings } from './settings-file.ts'
import type { SessionSettings } from './settings-file.ts'
import { createSwitchingClient } from './switching-client.ts'

/** A sandbox the account module can start and sign in to (src/sandbox, injected by app.ts). */
export interface StartedSandbox extends SandboxInfo {
  readonly token: string
  close(): Promise<void>
}

/** What the account module needs. */
export interface AccountServiceOptions {
  readonly home: string
  readonly secrets: SecretStore
  readonly log: Logger
  /** Write the session to settings.json (false for tokens given by flag or environment). */
  readonly persist: boolean
  /** One transport shared by every client (stable across sign-ins). */
  readonly http: Http
  readonly startSandbox: () => Promise<StartedSandbox>
  /** Milliseconds since the epoch (tests move it to expire a pending link). */
  readonly now?: () => number
}

/** The account commands the Engine exposes as they are; the account module implements them. */
type EngineAccountCommands = Pick<
  Engine,
  | 'session'
  | 'requestMagicLink'
  | 'completeMagicLink'
  | 'useSandbox'
  | 'sandboxInfo'
  | 'bootstrap'
  | 'signOut'
  | 'orgs'
  | 'selectOrg'
  | 'boards'
>

/** The account module's commands: the Engine's, plus what the engine's composition needs. */
export interface AccountService extends EngineAccountCommands {
  /** A client that always uses the current API URL and token (for the queue and sync engine). */
  readonly client: PlaybookClient
  /** The selected org's slug; throws an AccountError when none is selected. */
  orgSlug(): string
  restore(): Promise<void>
  /** Like the Engine's, and `sandbox` marks a session on the built-in sandbox. */
  signInWithToken(
    input: Parameters<Engine['signInWithToken']>[0] & { sandbox?: boolean },
  ): Promise<SessionState>
  /** A 401 happened somewhere: the session is expired until the user signs in again. */
  unauthorized(): void
  subscribe(listener: (session: SessionState) => void): () => void
  close(): Promise<void>
}

/** Maps an API org to the shared model. */
export function toOrg(o: OrgRecord): Org {
  return { id: o.id, slug: o.slug, name: o.name ?? o.slug }
}

/** Maps an API board to the shared model. */
export function toBoard(b: BoardRecord): Board {
  return {
    id: b.id,
    token: b.token,
    title: b.title ?? b.token,
    parentId: b.parent_id ?? null,
    depth: b.tree_depth ?? 0,
  }
}

/** Refuses an API URL a credential must not be sent to (plain http off this machine). */
function checkedApiUrl(raw: string): string {
  const apiUrl = raw.replace(/\/+$/, '')
  const problem = apiUrlProblem(apiUrl)
  if (problem) throw new AccountError(`the API address ${problem}`)
  return apiUrl
}

/** A short fingerprint of a token and its server: binds the stored token to its issuer. */
export function tokenId(apiUrl: string, token: string): string {
  return createHash('sha256').update(`${apiUrl}\n${token}`).digest('hex').slice(0, 16)
}

/** Constant-time string comparison for nonces. */
function sameNonce(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Creates the account module; call `restore()` once to pick up a saved session. */
export function createAccountService(options: AccountServiceOptions): AccountService {
  const { secrets, log, http } = options
  const now = options.now ?? Date.now
  const file = settingsFile(options.home)
  const listeners = new Set<(session: SessionState) => void>()
  const clients = new Map<string, PlaybookClient>()
  let state: SessionState = { kind: 'signed-out' }
  let token: string | undefined
  let settings: SessionSettings = {}
  let sandbox: StartedSandbox | undefined

  const clientFor = (
    apiUrl: string,
    getToken: () => string | undefined = () => token,
  ): PlaybookClient => createPlaybookClient({ baseUrl: apiUrl, getToken, http, log })
  const currentClient = (): PlaybookClient => {
    if (state.kind !== 'signed-in' && state.kind !== 'expired') {
      throw new PlaybookError('auth', 'not signed in', { status: 401 })
    }
    let c = clients.get(state.apiUrl)
    if (!c) {
      c = clientFor(state.apiUrl)
      clients.set(state.apiUrl, c)
    }
    return c
  }
  const client = createSwitchingClient(currentClient)

  const dispatch = (action: SessionAction): SessionState => {
    const next = nextSession(state, action)
    if (next !== state) {
      state = next
      for (const l of listeners) l(state)
    }
    return state
  }

  const save = async (patch: SessionSettings | null): Promise<void> => {
    settings = patch === null ? {} : { ...settings, ...patch }
    if (options.persist) await writeSessionSettings(file, settings)
  }

  /** Runs an API call; a 401 marks the session expired. */
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (e) {
      if (isPlaybookError(e) && e.kind === 'auth') self.unauthorized()
      throw e
    }
  }

  const self: AccountService = {
    session: () => state,
    client,
    orgSlug() {
      if (state.kind === 'signed-in' && state.org) return state.org.slug
      throw new AccountError('no organization selected: sign in and choose one')
    },

    async restore() {
      settings = await readSessionSettings(file)
      const stored = await secrets.get()
      if (settings.sandbox && options.persist) {
        try {
          await self.useSandbox()
          return
        } catch (e) {
          log.warn('could not restart the sandbox', { error: (e as Error).message })
          return
        }
      }
      // The token goes only to the server it was issued by: the one recorded with its fingerprint
      // when it was stored. Requesting a link never changes that record.
      const bound =
        stored !== undefined &&
        settings.apiUrl !== undefined &&
        isSafeApiUrl(settings.apiUrl) &&
        (settings.tokenId === undefined
          ? // Written before fingerprints: apiUrl is the issuer unless a link request rewrote it.
            settings.pendingEmail === undefined
          : settings.tokenId === tokenId(settings.apiUrl, stored))
      if (stored && settings.apiUrl && !bound) {
        log.warn('the stored token is not bound to the saved server: sign in again')
      }
      if (stored && settings.apiUrl && bound) {
        token = stored
        dispatch({
          type: 'signed-in',
          apiUrl: settings.apiUrl,
          org: settings.org ?? null,
          sandbox: false,
        })
      }
      const pending = settings.pendingLink
      if (pending && pending.expiresAt > now()) {
        dispatch({ type: 'link-requested', email: pending.email })
      }
    },

    async signInWithToken(input) {
      const apiUrl = checkedApiUrl(input.apiUrl)
      const candidate = input.token.trim()
      if (candidate === '') throw new AccountError('the token is empty')
      const probe = clientFor(apiUrl, () => candidate)
      const orgs = (await probe.organizations()).map(toOrg)
      let org: Org | null = null
      if (input.org) {
        org = orgs.find((o) => o.slug === input.org) ?? null
        if (!org) {
          throw new AccountError(
            `unknown organization "${input.org}"; this token can reach: ${orgs.map((o) => o.slug).join(', ') || 'none'}`,
          )
        }
      } else if (orgs.length === 1) {
        org = orgs[0] ?? null
      } else if (settings.apiUrl === apiUrl && settings.org) {
        const saved = settings.org.slug
        org = orgs.find((o) => o.slug === saved) ?? null
      }
      token = candidate
      clients.set(apiUrl, clientFor(apiUrl))
      const isSandbox = input.sandbox === true
      await secrets.set(candidate)
      await save({
        apiUrl,
        tokenId: tokenId(apiUrl, candidate),
        ...(org ? { org } : {}),
        sandbox: isSandbox,
        pendingLink: undefined,
        pendingEmail: undefined,
      })
      // A fresh sign-in always leaves expired/waiting states behind.
      state = { kind: 'signed-out' }
      log.info('signed in', { apiUrl, org: org?.slug ?? null, sandbox: isSandbox })
      return dispatch({ type: 'signed-in', apiUrl, org, sandbox: isSandbox })
    },

    async requestMagicLink(input) {
      const apiUrl = checkedApiUrl(input.apiUrl)
      // A nonce only this app knows: a link made for someone else's request cannot carry it.
      const state = randomBytes(24).toString('base64url')
      await clientFor(apiUrl, () => undefined).requestMagicLink({
        email: input.email,
        redirect_uri: redirectWithState(input.redirectUri, state),
      })
      // The signed-in server (and the token's binding) stay as they are until the link is used.
      await save({
        pendingLink: { apiUrl, email: input.email, state, expiresAt: now() + magicLinkTtlMs },
      })
      dispatch({ type: 'link-requested', email: input.email })
    },

    async completeMagicLink(link) {
      let code: string
      try {
        code = parseMagicLinkCode(link)
      } catch (e) {
        throw new AccountError((e as Error).message)
      }
      const pending = settings.pendingLink
      if (!pending) {
        throw new AccountError(
          'Playbook Sync did not ask for a sign-in link (or already used it): request a new one',
        )
      }
      if (pending.expiresAt <= now()) {
        await save({ pendingLink: undefined })
        if (state.kind === 'waiting-for-link') dispatch({ type: 'signed-out' })
        throw new AccountError(
          'the sign-in link request is older than 15 minutes: request a new one',
        )
      }
      const given = parseMagicLinkState(link)
      if (given === null || !sameNonce(given, pending.state)) {
        throw new AccountError(
          `this link is not the one sent to ${pending.email} for this app: it may sign you into ` +
            "someone else's account, so it was not used",
        )
      }
      const answer = await clientFor(pending.apiUrl, () => undefined).exchangeMagicLinkCode(code)
      return self.signInWithToken({ apiUrl: pending.apiUrl, token: answer.access_token })
    },

    async useSandbox() {
      if (!sandbox) sandbox = await options.startSandbox()
      return self.signInWithToken({
        apiUrl: sandbox.url,
        token: sandbox.token,
        org: sandbox.org,
        sandbox: true,
      })
    },

    sandboxInfo() {
      return sandbox ? { url: sandbox.url, org: sandbox.org, boards: sandbox.boards } : undefined
    },

    async bootstrap(input) {
      const apiUrl = checkedApiUrl(input.apiUrl)
      const payload: Record<string, unknown> = {
        partner_user_id: input.partnerUserId,
        user: { email: input.email, name: input.name },
        organization: { name: input.orgName },
        ...(input.boards ? { boards: input.boards } : {}),
      }
      const answer = await clientFor(apiUrl, () => undefined).bootstrap(
        input.integrationToken,
        payload,
      )
      let session = await self.signInWithToken({ apiUrl, token: answer.access_token })
      // The user may belong to more orgs: the one bootstrap created or found is the one meant.
      if (session.kind === 'signed-in' && session.org?.name !== input.orgName) {
        const wanted = input.orgName.trim().toLowerCase()
        const org = (await self.orgs()).find((o) => o.name.trim().toLowerCase() === wanted)
        if (org) session = await self.selectOrg(org.slug)
      }
      return {
        status: answer.status ?? 'success',
        redirectUrl: answer.redirect_url ?? null,
        session,
      }
    },

    async signOut() {
      token = undefined
      await secrets.clear()
      await save(null)
      log.info('signed out')
      dispatch({ type: 'signed-out' })
    },

    async orgs() {
      return guard(async () => (await currentClient().organizations()).map(toOrg))
    },

    async selectOrg(slug) {
      const orgs = await self.orgs()
      const org = orgs.find((o) => o.slug === slug)
      if (!org) {
        throw new AccountError(
          `unknown organization "${slug}"; yours: ${orgs.map((o) => o.slug).join(', ') || 'none'}`,
        )
      }
      await save({ org })
      return dispatch({ type: 'org-selected', org })
    },

    async boards(query) {
      const slug = self.orgSlug()
      return guard(async () => (await currentClient().allBoards(slug, query)).map(toBoard))
    },

    unauthorized() {
      if (state.kind === 'signed-in') log.warn('the API rejected the token: session expired')
      dispatch({ type: 'unauthorized' })
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async close() {
      listeners.clear()
      const sb = sandbox
      sandbox = undefined
      await Promise.all([...clients.values()].map((c) => c.close()))
      if (sb) await sb.close()
    },
  }
  return self
}
