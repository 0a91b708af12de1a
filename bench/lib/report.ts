/**
 * Turns section outcomes into the printed table, `latest.json` (exactly the issue's keys, so runs
 * can be compared over time), `latest-details.json` (raw numbers) and `latest.md` (for the README).
 */
import { cpus, totalmem } from 'node:os'
import { meets } from './section.ts'
import type { SectionOutcome } from './section.ts'

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly cores: number
  /** Total memory in GiB. */
  readonly memory: number
}

/** This machine. */
export function machineInfo(): MachineInfo {
  return { cores: cpus().length, memory: Math.round((totalmem() / 1024 ** 3) * 10) / 10 }
}

/** latest.json: `{section: {metric: number | null}, machine, date}`. */
export function resultsJson(
  outcomes: readonly SectionOutcome[],
  machine: MachineInfo,
  date: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const o of outcomes) out[o.section.name] = o.values
  out.machine = machine
  out.date = date
  return out
}

interface Row {
  readonly metric: string
  readonly value: string
  readonly goal: string
  readonly verdict: string
}

function rowsOf(outcomes: readonly SectionOutcome[]): Row[] {
  const rows: Row[] = []
  for (const o of outcomes) {
    for (const m of o.section.metrics) {
      const value = o.values[m.key]
      const goal = o.section.goals?.[m.key]
      const metric = `${o.section.name}.${m.key}`
      if (value === null || value === undefined) {
        rows.push({
          metric,
          value: `n/a (${o.unavailable ?? 'not measured'})`,
          goal: goal?.text ?? '',
          verdict: '',
        })
        continue
      }
      rows.push({
        metric,
        value: `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })}${m.unit ? ` ${m.unit}` : ''}`,
        goal: goal?.text ?? '',
        verdict: goal ? (meets(goal, value) ? 'met' : 'MISSED') : '',
      })
    }
  }
  return rows
}

/** The table for the terminal. */
export function textTable(outcomes: readonly SectionOutcome[]): string {
  const rows = rowsOf(outcomes)
  const head: Row = { metric: 'metric', value: 'value', goal: 'goal', verdict: '' }
  const all = [head, ...rows]
  const width = (k: keyof Row): number => Math.max(...all.map((r) => r[k].length))
  const line = (r: Row): string =>
    `${r.metric.padEnd(width('metric'))}  ${r.value.padEnd(width('value'))}  ${r.goal.padEnd(width('goal'))}  ${r.verdict}`.trimEnd()
  return [line(head), '-'.repeat(line(head).length), ...rows.map(line)].join('\n')
}

/** The table as Markdown. */
export function markdownTable(outcomes: readonly SectionOutcome[]): string {
  const rows = rowsOf(outcomes)
  return [
    '| metric | value | goal | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.metric}\` | ${r.value} | ${r.goal} | ${r.verdict} |`),
  ].join('\n')
}
