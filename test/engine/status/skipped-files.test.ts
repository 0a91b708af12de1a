import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/engine/engine-types.ts'
import type { PairSnapshot } from '../../../src/shared/pair-models.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { useSignedInEngine } from '../support/signed-in-engine.ts'
import { until } from '../support/waiting.ts'

// Skipped on purpose, over the real sandbox and real files: each skipped file names its reason
// (the ignore rule and where it comes from, or the file with the same content), and "Upload
// anyway" puts it on the board exactly once, after which it is on the board, not skipped.

async function boardTitles(sandbox: Sandbox, board: string): Promise<string[]> {
  const res = await fetch(`${sandbox.url}/__sandbox/assets?board=${encodeURIComponent(board)}`)
  const body = (await res.json()) as { data: { title: string }[] }
  return body.data.map((a) => a.title).sort()
}

describe('skipped on purpose, and upload anyway', () => {
  const world = useSignedInEngine('pbs-skipped-')
  let sandbox: Sandbox
  let engine: Engine
  let folder: string
  let board: string
  const pair = (): PairSnapshot => engine.pairs()[0] as PairSnapshot
  let heroSkipped = ''

  beforeAll(async () => {
    sandbox = world.sandbox
    engine = world.engine
    board = world.board
    folder = join(world.dir, 'folder')
    await mkdir(join(folder, 'drafts'), { recursive: true })
    await mkdir(join(folder, 'renders'), { recursive: true })
    await writeFile(join(folder, 'hero.txt'), 'the hero')
    await writeFile(join(folder, 'hero-copy.txt'), 'the hero')
    await writeFile(join(folder, '.DS_Store'), 'finder litter')
    await writeFile(join(folder, 'layout.psd.tmp'), 'half-saved layers')
    await writeFile(join(folder, 'notes.bak'), 'old notes')
    await writeFile(join(folder, 'drafts', '.playbookignore'), '*.wip\n')
    await writeFile(join(folder, 'drafts', 'poster.wip'), 'work in progress')
    await writeFile(join(folder, 'renders', 'final.txt'), 'final render')
    await engine.addPair({
      folder,
      board,
      settings: { ignorePatterns: ['*.bak'], dedupeContent: true },
    })
    await engine.idle()
    await until(pair, (p) => p.upToDate, 'up to date')
  })

  it('names the rule (and where it comes from) or the same-content file for every skipped file', async () => {
    // The copy whose upload went first is on the board as itself; the other names it.
    const onBoard = (await boardTitles(sandbox, board)).find((t) => t.startsWith('hero'))
    const other = onBoard === 'hero.txt' ? 'hero-copy.txt' : 'hero.txt'
    heroSkipped = other
    const skipped = engine.skipped()
    const byPath = new Map(skipped.map((s) => [s.relPath, s]))
    expect([...byPath.keys()].sort()).toEqual(
      ['.DS_Store', 'drafts/poster.wip', other, 'layout.psd.tmp', 'notes.bak'].sort(),
    )
    expect(byPath.get('.DS_Store')).toMatchObject({
      kind: 'ignored',
      rule: { pattern: '.DS_Store', source: 'built-in' },
      canUploadAnyway: true,
    })
    expect(byPath.get('.DS_Store')?.headline).toContain('built-in list of junk files')
    expect(byPath.get('layout.psd.tmp')).toMatchObject({
      rule: { pattern: '*.tmp', source: 'built-in' },
    })
    expect(byPath.get('notes.bak')).toMatchObject({
      rule: { pattern: '*.bak', source: 'pair-pattern' },
      headline: "Ignored by the rule “*.bak”, one of this folder's ignore patterns.",
    })
    expect(byPath.get('drafts/poster.wip')).toMatchObject({
      rule: { pattern: '*.wip', source: 'playbookignore', file: 'drafts/.playbookignore' },
      headline: 'Ignored by the rule “*.wip” in drafts/.playbookignore.',
    })
    expect(byPath.get(other)).toMatchObject({
      kind: 'same-content',
      sameAs: onBoard,
      headline: `Same content as ${onBoard ?? ''}, which is on the board.`,
      canUploadAnyway: true,
    })
    // Every skipped file is counted, and the folder is still up to date.
    expect(pair().tally).toMatchObject({ skipped: 4, sameContent: 1, attention: 0 })
    expect(pair().upToDate).toBe(true)
  })

  it('uploads an ignored file anyway exactly once; then it is on the board, not skipped', async () => {
    const pairId = pair().id
    const first = await engine.uploadAnyway({ pairId, relPath: 'notes.bak' })
    // A second click (or a retry after a lost answer) finds the same job.
    const second = await engine.uploadAnyway({ pairId, relPath: 'notes.bak' })
    expect(second).toBe(first)
    await engine.idle()
    await until(
      () => engine.jobs().find((j) => j.id === first),
      (j) => j?.state.kind === 'done',
      'the job to land',
    )
    expect((await boardTitles(sandbox, board)).filter((t) => t === 'notes.bak')).toHaveLength(1)
    // After a rescan too, it stays on the board and off the Skipped list.
    await engine.syncNow(pairId)
    await engine.idle()
    expect(engine.skipped().map((s) => s.relPath)).not.toContain('notes.bak')
    expect(await engine.uploadAnyway({ pairId, relPath: 'notes.bak' })).toBe(first)
    const tally = await until(pair, (p) => p.tally.skipped === 3, 'the tally')
    expect(tally.upToDate).toBe(true)
    expect((await boardTitles(sandbox, board)).filter((t) => t === 'notes.bak')).toHaveLength(1)
  })

  it('gives a same-content file its own asset with "Upload anyway"', async () => {
    const pairId = pair().id
    const before = (await boardTitles(sandbox, board)).filter((t) => t === heroSkipped)
    expect(before).toHaveLength(0)
    const jobId = await engine.uploadAnyway({ pairId, relPath: heroSkipped })
    await engine.idle()
    await until(
      () => engine.jobs().find((j) => j.id === jobId),
      (j) => j?.state.kind === 'done',
      'the job to land',
    )
    expect((await boardTitles(sandbox, board)).filter((t) => t === heroSkipped)).toHaveLength(1)
    const after = await until(pair, (p) => p.tally.sameContent === 0, 'own asset')
    expect(after.upToDate).toBe(true)
    expect(engine.skipped().map((s) => s.relPath)).not.toContain(heroSkipped)
  })

  it('refuses paths outside the folder and files that are not there', async () => {
    const pairId = pair().id
    await expect(engine.uploadAnyway({ pairId, relPath: '../outside.txt' })).rejects.toThrow(
      /Not a file inside this folder/,
    )
    await expect(engine.uploadAnyway({ pairId, relPath: 'nope.txt' })).rejects.toThrow(/not a file/)
  })
})
