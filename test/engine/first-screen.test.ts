import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  drawFirstScreen,
  firstScreenFile,
  loadFirstScreen,
  loadFirstScreenDrawing,
} from '../../src/engine/first-screen.ts'
import type { FirstScreenAnswers, FirstScreenHandlers } from '../../src/shared/first-screen.ts'
import { firstScreenJobs } from '../../src/shared/first-screen.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The first screen main hands the preload: gathered from the contract's handlers as the renderer
// would ask, drawn only for a signed-in user, and never more than a head start (any failure is
// reported and answers null, so the window starts as it would without it).

const org = { id: '1', slug: 'studio', name: 'Studio' }
const tempFolder = tempFolders()

function handlers(signedIn: boolean, asked: unknown[] = []): FirstScreenHandlers {
  const answer =
    <T>(channel: string, value: T) =>
    (payload: unknown) => {
      asked.push([channel, payload])
      return value
    }
  return {
    'app:info': answer('app:info', {} as never),
    'session:get': answer(
      'session:get',
      (signedIn
        ? { kind: 'signed-in', apiUrl: 'https://api.test', org, sandbox: false }
        : { kind: 'signed-out' }) as never,
    ),
    'settings:get': answer('settings:get', {} as never),
    'plugins:get': answer('plugins:get', {} as never),
    'plugins:items': answer('plugins:items', []),
    'jobs:snapshot': answer('jobs:snapshot', { jobs: [], totals: {} } as never),
    'pairs:list': answer('pairs:list', []),
    'status:overview': answer('status:overview', {} as never),
    'issues:list': answer('issues:list', []),
  }
}

describe('drawFirstScreen', () => {
  it('draws a signed-in user’s screen from the answers the renderer would ask for', async () => {
    const asked: unknown[] = []
    const drawn: FirstScreenAnswers[] = []
    const html = await drawFirstScreen(
      handlers(true, asked),
      (answers) => {
        drawn.push(answers)
        return '<div>list</div>'
      },
      () => {
        throw new Error('no error expected')
      },
    )
    expect(html).toBe('<div>list</div>')
    expect(asked).toContainEqual(['jobs:snapshot', { newest: firstScreenJobs }])
    expect(asked).toContainEqual(['issues:list', {}])
    expect(drawn[0]?.session).toMatchObject({ kind: 'signed-in', org })
    expect(drawn[0]?.signedIn).toEqual({
      snapshot: { jobs: [], totals: {} },
      pairs: [],
      overview: {},
      issues: [],
    })
  })

  it('draws nothing when signed out, or without a drawing, and asks nothing without one', async () => {
    const draw = () => '<div>list</div>'
    expect(await drawFirstScreen(handlers(false), draw, () => {})).toBeNull()
    const asked: unknown[] = []
    expect(await drawFirstScreen(handlers(true, asked), null, () => {})).toBeNull()
    expect(asked).toEqual([])
  })

  it('answers null and reports why when an answer or the drawing fails', async () => {
    const errors: unknown[] = []
    const broken = { ...handlers(true), 'pairs:list': () => Promise.reject(new Error('db gone')) }
    expect(
      await drawFirstScreen(
        broken,
        () => 'x',
        (e) => errors.push(e),
      ),
    ).toBeNull()
    const failing = () => {
      throw new Error('drawing failed')
    }
    expect(await drawFirstScreen(handlers(true), failing, (e) => errors.push(e))).toBeNull()
    expect(errors.map((e) => (e as Error).message)).toEqual(['db gone', 'drawing failed'])
  })
})

describe('loadFirstScreenDrawing', () => {
  it('is null where nothing was built, and refuses a file that is not a drawing', async () => {
    const dir = await tempFolder('first-screen-')
    expect(await loadFirstScreenDrawing(join(dir, 'missing.js'))).toBeNull()
    await writeFile(join(dir, 'other.mjs'), 'export const something = 1\n')
    await expect(loadFirstScreenDrawing(join(dir, 'other.mjs'))).rejects.toThrow(
      /no renderFirstScreen/,
    )
  })
})

describe('loadFirstScreen', () => {
  it('finds the drawing beside the renderer, and tells the log when it cannot load it', async () => {
    const dir = await tempFolder('first-screen-')
    const renderer = join(dir, 'renderer')
    expect(firstScreenFile(`${renderer}/`)).toBe(join(dir, 'first-screen', 'index.js'))
    const warned: string[] = []
    const log = { info: () => {}, warn: (m: string) => void warned.push(m), error: () => {} }
    expect(await loadFirstScreen(renderer, log)).toBeUndefined()
    expect(warned).toEqual([])
    await mkdir(join(dir, 'first-screen'))
    await writeFile(join(dir, 'first-screen', 'index.js'), 'export const other = 1\n')
    expect(await loadFirstScreen(renderer, log)).toBeUndefined()
    expect(warned).toEqual(['First screen drawing not loaded'])
  })
})
