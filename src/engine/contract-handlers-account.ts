/**
 * The contract's handlers for signing in and finding boards: the session, organizations, boards,
 * and the board and asset pages in Playbook that the renderer opens.
 */
import type { SessionState } from '../shared/account-models.ts'
import type { InvokeRequest } from '../shared/contract.ts'
import { magicLinkRedirectUri } from '../shared/contract.ts'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/**
 * The web page for a board or an asset. Assumed URL shapes: the sandbox serves its own board pages;
 * production boards live on www.playbook.com (isolated here so it is easy to change).
 */
export function playbookWebUrl(
  session: SessionState,
  board: string,
  org: string,
  asset?: string,
): string | null {
  if (session.kind !== 'signed-in' && session.kind !== 'expired') return null
  const api = new URL(session.apiUrl)
  const boardPart = `${encodeURIComponent(board)}${asset ? `?asset=${encodeURIComponent(asset)}` : ''}`
  if (api.hostname === 'api.playbook.com') {
    return `https://www.playbook.com/s/${encodeURIComponent(org)}/${boardPart}`
  }
  return `${api.origin}/boards/${boardPart}`
}

/** Sign-in (token, magic link, sandbox), sign-out and the session as it is. */
export function sessionHandlers({ engine, apiUrl }: HandlerContext): FeatureHandlers<'session'> {
  return {
    'session:get': () => engine.session(),
    'session:sign-in-token': (req: InvokeRequest<'session:sign-in-token'>) =>
      engine.signInWithToken({ apiUrl: apiUrl(req.apiUrl), token: req.token, org: req.org }),
    'session:request-link': async (req) => {
      await engine.requestMagicLink({
        apiUrl: apiUrl(req.apiUrl),
        email: req.email,
        redirectUri: magicLinkRedirectUri,
      })
      return engine.session()
    },
    'session:complete-link': (req) => engine.completeMagicLink(req.link),
    'session:use-sandbox': () => engine.useSandbox(),
    'session:sign-out': async () => {
      await engine.signOut()
      return engine.session()
    },
  }
}

/** The signed-in user's organizations and boards, and a board's page in Playbook. */
export function boardHandlers({
  engine,
  currentOrg,
}: HandlerContext): FeatureHandlers<'orgs' | 'boards'> {
  return {
    'orgs:list': () => engine.orgs(),
    'orgs:select': (req) => engine.selectOrg(req.slug),
    'boards:list': (req) => engine.boards(req.query || undefined),
    'boards:web-url': (req) => playbookWebUrl(engine.session(), req.board, currentOrg()),
  }
}
