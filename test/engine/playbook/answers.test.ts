import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { parse, unwrap } from '../../../src/engine/playbook/answers.ts'
import { PlaybookError } from '../../../src/engine/playbook/errors.ts'

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
})
