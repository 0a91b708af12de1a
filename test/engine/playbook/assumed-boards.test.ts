/**
 * The assumed board routes through the client's one door, against the sandbox over HTTP: create
 * under a parent, rename and re-parent; a server without the routes is recognised (and told once),
 * a 404 for a board that is really gone is not mistaken for a missing route; the web view shows
 * child boards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import type { PlaybookClient } from '../../../src/engine/playbook/client.ts'
import { PlaybookError } from '../../../src/engine/playbook/errors.ts'
import {
  CREATE_BOARD_ROUTE,
  UPDATE_BOARD_ROUTE,
  createAssumedBoards,
} from '../../../src/engine/playbook/assumed/boards.ts'
import {
  createRouteMissingMemory,
  isRouteMissing,
  isRouteMissingError,
} from '../../../src/engine/playbook/assumed/route-missing.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'

describe('assumed board routes (client over the sandbox)', () => {
  let sandbox: Sandbox
  let client: PlaybookClient
  const offer = (offered: boolean) =>
    fetch(`${sandbox.url}/__sandbox/board-routes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offered }),
    })
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    client = createPlaybookClient({
      baseUrl: sandbox.url,
      getToken: () => sandbox.token,
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    })
  })
  afterAll(async () => {
    await client?.close()
    await sandbox?.close()
  })

  it('creates under a parent, renames and re-parents; the listing and the web view show it', async () => {
    const boards = createAssumedBoards(client, createRouteMissingMemory())
    const parent = await boards.create(sandbox.org, { title: 'Parent', parentId: null })
    const child = await boards.create(sandbox.org, { title: 'Child', parentId: parent.id })
    expect(child).toMatchObject({ title: 'Child', parent_id: parent.id, tree_depth: 1 })
    const renamed = await boards.update(sandbox.org, child.token, { title: 'Renamed' })
    expect(renamed.title).toBe('Renamed')
    const other = await boards.create(sandbox.org, { title: 'Other', parentId: null })
    await boards.update(sandbox.org, child.token, { parentId: other.id })
    const listed = await client.allBoards(sandbox.org)
    expect(listed.find((b) => b.token === child.token)).toMatchObject({
      title: 'Renamed',
      parent_id: other.id,
    })
    const page = await (await fetch(`${sandbox.url}/boards/${other.token}`)).text()
    expect(page).toContain('Boards inside')
    expect(page).toContain('Renamed')
  })

  it('recognises a server without the routes, remembers it and tells once', async () => {
    const told: string[] = []
    const boards = createAssumedBoards(client, createRouteMissingMemory(), (r) => told.push(r))
    await offer(false)
    try {
      const first = await boards.create(sandbox.org, { title: 'X', parentId: null }).catch((e) => e)
      expect(isRouteMissingError(first)).toBe(true)
      const second = await boards
        .create(sandbox.org, { title: 'Y', parentId: null })
        .catch((e) => e)
      expect(isRouteMissingError(second)).toBe(true)
      expect(told).toEqual([CREATE_BOARD_ROUTE])
      expect(boards.creationMissing()).toBe(true)
      const known = sandbox.boards[0]?.token ?? ''
      const update = await boards.update(sandbox.org, known, { title: 'Z' }).catch((e) => e)
      expect(isRouteMissingError(update)).toBe(true)
      expect(told).toEqual([CREATE_BOARD_ROUTE, UPDATE_BOARD_ROUTE])
    } finally {
      await offer(true)
    }
    expect((await client.allBoards(sandbox.org)).some((b) => b.title === 'X')).toBe(false)
  })

  it('a 404 for a board that is gone is not a missing route', async () => {
    const boards = createAssumedBoards(client, createRouteMissingMemory())
    const error = await boards.update(sandbox.org, 'no-such-board', { title: 'Z' }).catch((e) => e)
    expect(isRouteMissingError(error)).toBe(false)
    expect(error).toBeInstanceOf(PlaybookError)
    expect((error as PlaybookError).status).toBe(404)
  })

  it('reads statuses as the notes say', () => {
    const e = (status: number) => new PlaybookError('validation', 'x', { status })
    expect(isRouteMissing(e(405))).toBe(true)
    expect(isRouteMissing(e(501))).toBe(true)
    expect(isRouteMissing(e(404))).toBe(true)
    expect(isRouteMissing(e(404), { recordMayBeGone: true })).toBe(false)
    expect(isRouteMissing(e(404), { recordMayBeGone: true, recordGone: false })).toBe(true)
    expect(isRouteMissing(e(422))).toBe(false)
    expect(isRouteMissing(new Error('404'))).toBe(false)
  })
})
