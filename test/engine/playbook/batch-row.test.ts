import { describe, expect, it } from 'vitest'
import { readBatchRow } from '../../../src/engine/playbook/batch-row.ts'
import type { BatchRow } from '../../../src/engine/playbook/schemas.ts'

const row = (r: Record<string, unknown>): BatchRow => ({ uuid: 'u', ...r }) as BatchRow

describe('readBatchRow', () => {
  it('reads every error shape with its status and message', () => {
    expect(readBatchRow(row({ error: { status: 422, message: 'too big' } }))).toEqual({
      kind: 'error',
      status: 422,
      message: 'too big',
    })
    expect(readBatchRow(row({ error: 'upload expired', status: 422 }))).toEqual({
      kind: 'error',
      status: 422,
      message: 'upload expired',
    })
    expect(readBatchRow(row({ error: 'nope', status: '404' }))).toMatchObject({ status: 404 })
    expect(readBatchRow(row({ errors: ['size is wrong', 'type is wrong'], status: 400 }))).toEqual({
      kind: 'error',
      status: 400,
      message: 'size is wrong; type is wrong',
    })
    expect(readBatchRow(row({ message: 'bad title', code: 406 }))).toMatchObject({
      status: 406,
      message: 'bad title',
    })
    expect(readBatchRow(row({ error: { code: 422, detail: 'x' } }))).toMatchObject({
      kind: 'error',
      status: 422,
    })
    expect(readBatchRow(row({ error: 'refused without a status' }))).toEqual({
      kind: 'error',
      status: 0,
      message: 'refused without a status',
    })
  })

  it('reads an asset, and a row that says nothing (or no row) as unknown', () => {
    expect(readBatchRow(row({ asset: { token: 't' } }))).toMatchObject({ kind: 'asset' })
    expect(readBatchRow(row({}))).toEqual({ kind: 'unknown' })
    expect(readBatchRow(row({ error: null }))).toEqual({ kind: 'unknown' })
    expect(readBatchRow(undefined)).toEqual({ kind: 'unknown' })
  })
})
