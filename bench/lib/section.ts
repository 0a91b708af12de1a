/**
 * The shape every benchmark section shares, and the runner that bounds each one in time, turns a
 * missing engine piece or a failure into "n/a (reason)" with null values, and cleans up after it.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startWorker } from './child.ts'
import type { RunningChild, WorkerOptions } from './child.ts'
import { bundledWorker } from './worker-bundles.ts'

/** The repository root (bench/lib/../..). */
export const ROOT = resolve(import.meta.dirname, '..', '..')

/** What a section gets. */
export interface SectionContext {
  readonly quick: boolean
  /** A temp folder for this section, removed after it. */
  readonly tmp: string
  /** Progress lines (printed, not part of the table). */
  log(line: string): void
  /** Starts a worker from bench/workers; it is killed if the section ends or times out. */
  worker(name: string, args: readonly string[], options?: WorkerOptions): RunningChild
}

/** What a section returns: values keyed like latest.json, plus details for latest-details.json. */
export interface SectionResult {
  readonly values: Readonly<Record<string, number | null>>
  readonly details?: Readonly<Record<string, unknown>>
  readonly notes?: readonly string[]
}

/** A goal for one metric. */
export interface Goal {
  readonly op: '>=' | '<='
  readonly value: number
  readonly text: string
}

/** One benchmark section. */
export interface Section {
  /** The latest.json key (`large_file`). */
  readonly name: string
  readonly title: string
  /** Metric keys inside the section, in table order, with units for the table. */
  readonly metrics: readonly {
    readonly key: string
    readonly label: string
    readonly unit: string
  }[]
  readonly goals?: Readonly<Record<string, Goal>>
  /** Source files (from the repo root) the section needs; missing ones make it n/a. */
  readonly requires: readonly string[]
  readonly budgetMs: { readonly quick: number; readonly full: number }
  run(ctx: SectionContext): Promise<SectionResult>
}

/** What the runner made of a section. */
export interface SectionOutcome {
  readonly section: Section
  readonly values: Readonly<Record<string, number | null>>
  readonly details: Readonly<Record<string, unknown>>
  readonly notes: readonly string[]
  /** Why the section has no numbers, when it has none. */
  readonly unavailable?: string
  readonly seconds: number
}

/** Runs one section within its time budget. Never throws. */
export async function runSection(
  section: Section,
  options: {
    quick: boolean
    log: (line: string) => void
    /** Bundled workers (see worker-bundles.ts); without it the .ts sources run. */
    workersDir?: string
  },
): Promise<SectionOutcome> {
  const nulls = Object.fromEntries(section.metrics.map((m) => [m.key, null]))
  const started = performance.now()
  const seconds = (): number => (performance.now() - started) / 1000
  const missing = section.requires.filter((file) => !existsSync(join(ROOT, file)))
  if (missing.length > 0) {
    return {
      section,
      values: nulls,
      details: {},
      notes: [],
      unavailable: `missing ${missing.join(', ')}${missing.some((f) => f.startsWith('out/')) ? '; run `npm run build` first' : ''}`,
      seconds: 0,
    }
  }
  const tmp = await mkdtemp(join(tmpdir(), `bench-${section.name}-`))
  const children = new Set<RunningChild>()
  const ctx: SectionContext = {
    quick: options.quick,
    tmp,
    log: (line) => options.log(`[${section.name}] ${line}`),
    worker(name, args, workerOptions) {
      const script =
        options.workersDir === undefined
          ? join(ROOT, 'bench', 'workers', name)
          : bundledWorker(options.workersDir, name)
      const child = startWorker(script, args, workerOptions)
      children.add(child)
      void child.done.then(() => children.delete(child))
      return child
    },
  }
  const budget = options.quick ? section.budgetMs.quick : section.budgetMs.full
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const result = await Promise.race([
      section.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`took longer than its ${Math.round(budget / 1000)} s budget`)),
          budget,
        )
      }),
    ])
    return {
      section,
      values: { ...nulls, ...result.values },
      details: result.details ?? {},
      notes: result.notes ?? [],
      seconds: seconds(),
    }
  } catch (error) {
    return {
      section,
      values: nulls,
      details: {},
      notes: [],
      unavailable:
        error instanceof Error ? error.message.split('\n')[0]?.slice(0, 300) : String(error),
      seconds: seconds(),
    }
  } finally {
    clearTimeout(timer)
    for (const child of children) child.kill()
    await Promise.all([...children].map((c) => c.done))
    await rm(tmp, { recursive: true, force: true }).catch(() => {})
  }
}

/** True when `value` meets `goal`. */
export function meets(goal: Goal, value: number): boolean {
  return goal.op === '>=' ? value >= goal.value : value <= goal.value
}
