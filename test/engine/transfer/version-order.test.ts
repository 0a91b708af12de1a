import { describe, expect, it } from 'vitest'
import type { JobRow } from '../../../src/engine/transfer/job-store.ts'
import type { JobTargets, VersionTarget } from '../../../src/engine/transfer/job-targets.ts'
import { heldForEarlierSaves } from '../../../src/engine/transfer/version-order.ts'

/** Only the fields the rule reads; the rest of a row does not matter to it. */
const row = (id: string, createdAt: number, dedupeKey: string | null, paused = false): JobRow =>
  ({ id, createdAt, dedupeKey, paused }) as JobRow

const targetsOf = (
  entries: Record<string, { asset: string; fallback?: VersionTarget['fallback'] }>,
): JobTargets =>
  ({
    get: (key: string | null) => {
      const entry = key === null ? undefined : entries[key]
      return entry === undefined
        ? undefined
        : {
            dedupeKey: key,
            assetToken: entry.asset,
            beforeNumber: null,
            versionNumber: null,
            fallback: entry.fallback ?? null,
            grouped: false,
          }
    },
  }) as unknown as JobTargets

describe('versions of one asset are added in save order', () => {
  it('holds every version but the earliest-queued one of each asset', () => {
    const targets = targetsOf({
      v2: { asset: 'A' },
      v3: { asset: 'A' },
      v4: { asset: 'A' },
      other: { asset: 'B' },
    })
    const rows = [
      row('j4', 30, 'v4'),
      row('j2', 10, 'v2'),
      row('j3', 20, 'v3'),
      row('jb', 40, 'other'),
    ]
    expect([...heldForEarlierSaves(rows, [], targets)].sort()).toEqual(['j3', 'j4'])
  })

  it('breaks a tie in queue time by id, so exactly one goes', () => {
    const targets = targetsOf({ x: { asset: 'A' }, y: { asset: 'A' } })
    expect([...heldForEarlierSaves([row('b', 5, 'y'), row('a', 5, 'x')], [], targets)]).toEqual([
      'b',
    ])
  })

  it('never holds new assets, nor versions that fell back to a new asset', () => {
    const targets = targetsOf({ v2: { asset: 'A', fallback: 'route-missing' }, v3: { asset: 'A' } })
    const rows = [
      row('j2', 10, 'v2'),
      row('j3', 20, 'v3'),
      row('new', 1, 'plain'),
      row('n', 0, null),
    ]
    expect(heldForEarlierSaves(rows, [], targets).size).toBe(0)
  })
  it('also waits for an earlier save still uploading, unless that upload is paused', () => {
    const targets = targetsOf({ v2: { asset: 'A' }, v3: { asset: 'A' }, b: { asset: 'B' } })
    const completing = [row('j3', 20, 'v3')]
    expect([...heldForEarlierSaves(completing, [row('j2', 10, 'v2')], targets)]).toEqual(['j3'])
    expect(heldForEarlierSaves(completing, [row('j2', 10, 'v2', true)], targets).size).toBe(0)
    // A later upload, or one of another asset, holds nothing.
    expect(
      heldForEarlierSaves(completing, [row('j4', 30, 'v3'), row('jb', 1, 'b')], targets).size,
    ).toBe(0)
  })
})
