import { describe, expect, it } from 'vitest'
import { describeSession, nextSession } from '../../../src/engine/account/session-machine.ts'
import type { SessionState } from '../../../src/shared/account-models.ts'

const org = { id: 1, slug: 'acme', name: 'Acme' }

describe('session machine', () => {
  it('walks signed-out → waiting-for-link → signed-in → expired → signed-out', () => {
    let s: SessionState = { kind: 'signed-out' }
    s = nextSession(s, { type: 'link-requested', email: 'a@b.c' })
    expect(s).toEqual({ kind: 'waiting-for-link', email: 'a@b.c' })
    s = nextSession(s, { type: 'signed-in', apiUrl: 'http://x', org: null, sandbox: false })
    expect(s.kind).toBe('signed-in')
    s = nextSession(s, { type: 'org-selected', org })
    expect(s).toMatchObject({ kind: 'signed-in', org })
    expect(describeSession(s)).toContain('acme')
    s = nextSession(s, { type: 'unauthorized' })
    expect(s).toEqual({ kind: 'expired', apiUrl: 'http://x' })
    s = nextSession(s, { type: 'signed-out' })
    expect(s).toEqual({ kind: 'signed-out' })
  })

  it('ignores actions that make no sense in a state', () => {
    const out: SessionState = { kind: 'signed-out' }
    expect(nextSession(out, { type: 'unauthorized' })).toBe(out)
    expect(nextSession(out, { type: 'org-selected', org })).toBe(out)
    const inn: SessionState = { kind: 'signed-in', apiUrl: 'http://x', org, sandbox: false }
    expect(nextSession(inn, { type: 'link-requested', email: 'a@b.c' })).toBe(inn)
  })
})
