import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/engine/engine-types.ts'
import type { PairSnapshot } from '../../../src/shared/pair-models.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { useSignedInEngine } from '../support/signed-in-engine.ts'
import { until } from '../support/waiting.ts'

// The engine's per-file states over the real sandbox and real files: a cancelled upload is listed
// as an issue (the folder is not up to date meanwhile) and comes back with "Sync now"; files with
// the same bytes are counted as one asset; a busy server shows as a wait with a retry time.

async function faults(sandbox: Sandbox, rules: readonly object[] | null): Promise<void> {
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: rules ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: rules ? JSON.stringify({ rules }) : undefined,
  })
}

describe('sync issues and honest counts', () => {
  const world = useSignedInEngine('pbs-issues-')
  let sandbox: Sandbox
  let engine: Engine
  let folder: string
  let board: string
  const pair = (): PairSnapshot => engine.pairs()[0] as PairSnapshot

  beforeAll(async () => {
    sandbox = world.sandbox
    engine = world.engine
    board = world.board
    folder = join(world.dir, 'folder')
    await mkdir(folder)
    await writeFile(join(folder, 'a.txt'), 'same bytes')
    await writeFile(join(folder, 'copy-of-a.txt'), 'same bytes')
    await writeFile(join(folder, 'b.txt'), 'other bytes')
  })

  it('counts same-content files as one asset and says up to date only when all are on the board', async () => {
    // Copies are assets of their own by default; this pair deduplicates.
    await engine.addPair({ folder, board, settings: { dedupeContent: true } })
    await engine.idle()
    const snapshot = await until(pair, (p) => p.upToDate, 'up to date')
    expect(snapshot.tally).toMatchObject({ onBoard: 2, sameContent: 1, attention: 0, waiting: 0 })
    const assets = (await (
      await fetch(`${sandbox.url}/__sandbox/assets?board=${encodeURIComponent(board)}`)
    ).json()) as { data: unknown[] }
    expect(assets.data).toHaveLength(snapshot.tally.onBoard)
    expect(engine.overview()).toMatchObject({
      kind: 'up-to-date',
      headline: 'Up to date',
      issues: 0,
    })
  })

  it('lists a cancelled file as an issue until "Sync now" brings it back', async () => {
    engine.pause()
    await writeFile(join(folder, 'cancel-me.txt'), 'cancel these bytes')
    await engine.syncNow(pair().id)
    const job = await until(
      () => engine.jobs().find((j) => j.relPath === 'cancel-me.txt'),
      (j) => j !== undefined,
      'the job',
    )
    engine.cancel(job!.id)
    engine.resume()
    await engine.idle()
    const issues = await until(
      () => engine.issues(),
      (list) => list.length === 1,
      'the issue',
    )
    expect(issues[0]).toMatchObject({
      relPath: 'cancel-me.txt',
      kind: 'cancelled',
      headline: 'You cancelled this upload.',
      fixes: ['retry', 'show-file', 'open-folder'],
    })
    const held = await until(pair, (p) => p.tally.attention === 1, 'attention')
    expect(held.upToDate).toBe(false)
    expect(engine.overview()).toMatchObject({
      kind: 'attention',
      headline: '1 file needs attention',
    })

    await engine.syncNow(pair().id)
    await engine.idle()
    await until(pair, (p) => p.upToDate, 'up to date again')
    expect(engine.issues()).toEqual([])
    expect(pair().tally).toMatchObject({ onBoard: 3, sameContent: 1, attention: 0 })
  })

  it('shows a busy server as a wait with a retry time, not as progress', async () => {
    await faults(sandbox, [
      { method: 'POST', path: '/*upload_prepare', action: 'status', status: 503, times: 0 },
    ])
    try {
      await writeFile(join(folder, 'busy.txt'), 'busy bytes')
      await engine.syncNow(pair().id)
      const waiting = await until(pair, (p) => p.wait?.kind === 'busy', 'a busy wait')
      expect(waiting.upToDate).toBe(false)
      const wait = waiting.wait
      if (wait?.kind !== 'busy') throw new Error('not busy')
      expect(wait.until).toBeGreaterThan(Date.now() - 1000)
      expect(wait.detail).toMatch(/503|injected/)
      const overview = await until(
        () => engine.overview(),
        (o) => o.kind === 'waiting',
        'waiting',
      )
      expect(overview.headline).toMatch(/^Playbook is busy\. Retrying (in \d+ s|now)\.$/)
    } finally {
      await faults(sandbox, null)
    }
    await engine.idle()
    await until(pair, (p) => p.upToDate, 'up to date after the fault')
  })

  it('lists a refused upload in plain words and brings it back with a retry of that file', async () => {
    await faults(sandbox, [
      { method: 'POST', path: '/*upload_prepare', action: 'status', status: 400, times: 0 },
    ])
    await writeFile(join(folder, 'refused.txt'), 'refused bytes')
    await engine.syncNow(pair().id)
    const issues = await until(
      () => engine.issues(),
      (list) => list.some((i) => i.relPath === 'refused.txt'),
      'the failed issue',
    )
    expect(issues.find((i) => i.relPath === 'refused.txt')).toMatchObject({
      kind: 'failed',
      headline: 'Playbook did not accept this file.',
      detail: expect.stringMatching(/400|injected/),
    })
    expect(pair().upToDate).toBe(false)
    await faults(sandbox, null)
    expect(await engine.retryIssues({ pairId: pair().id, relPath: 'refused.txt' })).toBe(1)
    await engine.idle()
    await until(pair, (p) => p.upToDate, 'up to date after the retry')
    expect(engine.issues()).toEqual([])
  })
})
