/**
 * The short torture run: a real sandbox, a real sync process SIGKILLed and restarted while faults
 * are injected and files change, then the exactly-once verdict (see bench/lib/torture-run.ts).
 */
import { describe, expect, it } from 'vitest'
import { runTorture } from '../../bench/lib/torture-run.ts'

describe('torture (short)', () => {
  it('keeps every file exactly once on the board through kills, faults and edits', async () => {
    const lines: string[] = []
    const report = await runTorture({
      rounds: 2,
      files: 40,
      seed: 12,
      largeFiles: 1,
      minFaults: 1,
      maxRoundMs: 2500,
      finalTimeoutMs: 40_000,
      log: (line) => lines.push(line),
    })
    expect(report.kills).toBeGreaterThanOrEqual(2)
    expect(report.problems, lines.join('\n')).toEqual([])
    expect(report.ok).toBe(true)
  }, 90_000)
})
