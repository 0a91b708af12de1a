import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { parse, parseRecords, unwrap } from '../../../src/engine/playbook/answers.ts'
import { PlaybookError } from '../../../src/engine/playbook/errors.ts'
import { assetSchema, boardSchema, pagySchema } from '../../../src/engine/playbook/schemas.ts'

describe('reading answers', () => {
  it('strips the {data} envelope only when present', () => {
    expect(unwrap({ data: [1] })).toEqual([1])
    expect(unwrap([{ data: 1 }])).toEqual([{ data: 1 }])
    expect(unwrap({ token: 'b' })).toEqual({ token: 'b' })
    expect(unwrap(null)).toBeNull()
  })

  it('an answer of the wrong shape is a server error naming the field', () => {
    const schema = z.object({ token: z.string() })
    expect(parse(schema, { token: 'b' }, 'board')).toEqual({ token: 'b' })
    let caught: unknown
    try {
      parse(schema, { token: 7 }, 'board')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(PlaybookError)
    expect((caught as PlaybookError).kind).toBe('server')
    expect((caught as PlaybookError).message).toContain('unexpected board answer')
    expect((caught as PlaybookError).message).toContain('token')
  })

  it('reads a record field of another type as absent, a numeric string as its number', () => {
    const odd = assetSchema.parse({
      token: 'a1',
      size: '1048576',
      is_skeleton: 'false',
      is_link: 'maybe',
      media_type: 42,
      created_at: { at: 'noon' },
    })
    expect(odd).toMatchObject({
      token: 'a1',
      size: 1048576,
      is_skeleton: false,
      is_link: null,
      media_type: null,
      created_at: null,
    })
    expect(assetSchema.parse({ token: 'a2', size: 'n/a' }).size).toBeNull()
    expect(boardSchema.parse({ id: 3, token: 'b', tree_depth: '2', title: 7 })).toMatchObject({
      tree_depth: 2,
      title: null,
    })
    expect(pagySchema.parse({ total_pages: '4', current_page: 'one' })).toMatchObject({
      total_pages: 4,
      current_page: null,
    })
    // What the client cannot do without stays required.
    expect(assetSchema.safeParse({ size: 1 }).success).toBe(false)
  })

  it('leaves a record without a token out of a listing, and counts it', () => {
    const got = parseRecords(assetSchema, [{ token: 'a' }, { title: 'x' }, { token: 'b' }], 'list')
    expect(got.items.map((a) => a.token)).toEqual(['a', 'b'])
    expect(got.skipped).toBe(1)
    expect(() => parseRecords(assetSchema, { token: 'a' }, 'list')).toThrow(PlaybookError)
  })
})
