/**
 * The seeded world a fresh sandbox starts with: org `sandbox-studio`, one user with a write, a
 * read and an integration token, and four boards (one nested), so every start looks the same.
 */
import { randomBytes } from 'node:crypto'
import { randomId } from './ids.ts'
import type { AccessToken, Board, SandboxState } from './model.ts'

/** The seeded org's slug. */
export const SEED_ORG = 'sandbox-studio'

/** Builds a fresh state at time `nowIso`. */
export function seedState(nowIso: string): SandboxState {
  let id = 1
  const org = { id: id++, slug: SEED_ORG, name: 'Sandbox Studio' }
  const user = {
    id: id++,
    email: 'designer@sandbox.test',
    name: 'Sandbox Designer',
    orgSlugs: [org.slug],
  }
  const tokens: Record<string, AccessToken> = {}
  const issue = (scope: AccessToken['scope']): string => {
    const token = `pb_${randomId(32)}`
    tokens[token] = { token, scope, userId: user.id, revoked: false, createdAt: nowIso }
    return token
  }
  const token = issue('write')
  const readToken = issue('read')
  const integrationToken = issue('integration')
  const boards: Record<string, Board> = {}
  const add = (title: string, description: string, parent?: Board): Board => {
    const board: Board = {
      id: id++,
      token: randomId(24),
      orgSlug: org.slug,
      title,
      description,
      parent_id: parent ? parent.id : null,
      tree_depth: parent ? parent.tree_depth + 1 : 0,
      created_at: nowIso,
      updated_at: nowIso,
    }
    boards[board.token] = board
    return board
  }
  const brand = add('Brand Assets', 'Logos, colours and type')
  const campaign = add('Spring Campaign', 'Key visuals for the spring launch')
  const social = add(
    'Social Cutdowns',
    'Formats for social, nested under Spring Campaign',
    campaign,
  )
  const moodboard = add('Moodboard', 'Loose references')
  return {
    version: 1,
    secret: randomBytes(32).toString('hex'),
    clockOffsetMs: 0,
    nextId: id,
    orgs: [org],
    users: [user],
    tokens,
    boards,
    assets: {},
    objects: {},
    sessions: {},
    codes: {},
    mails: [],
    partners: {},
    seed: {
      org: org.slug,
      token,
      readToken,
      integrationToken,
      boards: [brand.token, campaign.token, social.token, moodboard.token],
    },
  }
}
