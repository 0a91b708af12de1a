import { describe, expect, it } from 'vitest'
import {
  errorFromResponse,
  kindForStatus,
  messageFromBody,
  networkError,
  parseRetryAfter,
} from '../../../src/engine/playbook/errors.ts'

describe('error mapping', () => {
  it('maps statuses to the kinds the queue acts on', () => {
    expect([401, 403, 404, 408, 422, 400, 406, 429, 500, 503].map(kindForStatus)).toEqual([
      'auth',
      'forbidden',
      'not-found',
      'network',
      'validation',
      'validation',
      'validation',
      'quota',
      'server',
      'server',
    ])
  })

  it('takes the message from error, errors, message, else the status text', () => {
    expect(messageFromBody({ error: 'bad token' }, 'x')).toBe('bad token')
    expect(messageFromBody({ error: { message: 'nested' } }, 'x')).toBe('nested')
    expect(messageFromBody({ errors: ['a', 'b'] }, 'x')).toBe('a; b')
    expect(messageFromBody({ errors: { title: ['is blank'] } }, 'x')).toBe('title is blank')
    expect(messageFromBody({ message: 'slow down' }, 'x')).toBe('slow down')
    expect(messageFromBody(undefined, 'Too Many Requests')).toBe('Too Many Requests')
    expect(messageFromBody({ other: 1 }, 'HTTP 500')).toBe('HTTP 500')
  })

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter('0.5')).toBe(500)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })

  it('builds errors with status, kind, message and Retry-After', () => {
    const e = errorFromResponse({
      status: 429,
      body: { error: 'quota' },
      retryAfter: '3',
      what: 'POST upload_prepare',
    })
    expect(e).toMatchObject({ kind: 'quota', status: 429, retryAfterMs: 3000 })
    expect(e.message).toBe('POST upload_prepare: quota (HTTP 429)')
    const n = networkError(
      'GET boards',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    )
    expect(n).toMatchObject({ kind: 'network', status: 0 })
    expect(n.message).toContain('ECONNRESET')
  })
})
