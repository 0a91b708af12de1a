/**
 * The board map's way to Playbook: the documented board listing (all boards, all pages) and the
 * assumed create/update calls (playbook/assumed/boards.ts), with the one message a user gets when
 * the server has no board creation (told through route-missing.ts, like every assumed route).
 */
import type { PlaybookClient } from '../playbook/client.ts'
import { createAssumedBoards } from '../playbook/assumed/boards.ts'
import type { RouteMissingMemory } from '../playbook/assumed/route-missing.ts'
import type { BoardDirectory } from './board-map.ts'

/** The sentence a user reads (once) when Playbook cannot create boards. */
export function routeMissingMessage(route: string): string {
  return route.startsWith('POST')
    ? 'This Playbook server cannot create boards from the app, so sub-folders go to the board above them (each such file says so). Nothing is lost; new sub-folders get their own boards again when the server offers it.'
    : `This Playbook server does not offer ${route}: boards keep their names and places when their folders are renamed or moved.`
}

/**
 * Builds the directory over a client; a missing route is remembered in the engine's `routes` and
 * told once, as every assumed route is.
 */
export function createBoardDirectory(
  client: PlaybookClient,
  routes: RouteMissingMemory,
): BoardDirectory {
  const assumed = createAssumedBoards(client, routes, (route) => {
    routes.tell(route, routeMissingMessage(route))
  })
  return {
    list: (org) => client.allBoards(org),
    create: (org, board) => assumed.create(org, board),
    update: (org, token, patch) => assumed.update(org, token, patch),
  }
}
