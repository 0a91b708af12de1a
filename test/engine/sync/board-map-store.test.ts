import { describe, expect, it } from 'vitest'
import { createBoardMapStore } from '../../../src/engine/sync/board-map-store.ts'
import { openDatabase, transaction } from '../../../src/engine/store/database.ts'
import type { BoardMapping } from '../../../src/shared/pair-models.ts'

const tree: BoardMapping = { subfolders: 'child', branches: {} }
const skipDrafts: BoardMapping = { subfolders: 'child', branches: { drafts: { kind: 'skip' } } }

describe('board map store: the mapping read once per change', () => {
  it('answers the mapping last written, also after it was read before the change', () => {
    const db = openDatabase(':memory:')
    const store = createBoardMapStore(db)
    expect(store.mapping('p1')).toBeUndefined()
    store.setMapping('p1', tree, 1)
    expect(store.mapping('p1')).toEqual(tree)
    store.setMapping('p1', skipDrafts, 2)
    expect(store.mapping('p1')).toEqual(skipDrafts)
    // Read twice without a change: the same object (no query, no parse).
    expect(store.mapping('p1')).toBe(store.mapping('p1'))
    store.forgetPair('p1')
    expect(store.mapping('p1')).toBeUndefined()
    db.close()
  })

  it('does not keep a change that was rolled back', () => {
    const db = openDatabase(':memory:')
    const store = createBoardMapStore(db)
    store.setMapping('p1', tree, 1)
    expect(store.mapping('p1')).toEqual(tree)
    expect(() =>
      transaction(db, () => {
        store.setMapping('p1', skipDrafts, 2)
        expect(store.mapping('p1')).toEqual(skipDrafts)
        throw new Error('rolled back')
      }),
    ).toThrow('rolled back')
    expect(store.mapping('p1')).toEqual(tree)
    db.close()
  })
})
