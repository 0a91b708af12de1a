/**
 * Jobs by id, immutable, where replacing every job of 10,000 costs one array copy and no rehash:
 * each job has a fixed slot (an index into `rows`); an update copies the rows array (pointers
 * only) and writes the changed slots. The id → slot map is shared by a table and the tables made
 * from it: it only ever grows, and a table sees just the slots below its own row count, so an
 * older table still reads exactly what it held. Pure, so it is unit-tested.
 */
import type { JobSnapshot } from '../../../shared/job-models.ts'

/** An immutable map of jobs by id (a ReadonlyMap, so callers read it like one). */
export class JobTable implements ReadonlyMap<string, JobSnapshot> {
  private readonly slots: Map<string, number>
  private readonly rows: readonly JobSnapshot[]

  /** Use `JobTable.from` or `JobTable.empty`. */
  private constructor(slots: Map<string, number>, rows: readonly JobSnapshot[]) {
    this.slots = slots
    this.rows = rows
  }

  /** No jobs. */
  static readonly empty: JobTable = new JobTable(new Map(), [])

  /** A table of `jobs` (a later job with the same id replaces an earlier one). */
  static from(jobs: Iterable<JobSnapshot>): JobTable {
    const slots = new Map<string, number>()
    const rows: JobSnapshot[] = []
    for (const job of jobs) {
      const slot = slots.get(job.id)
      if (slot === undefined) {
        slots.set(job.id, rows.length)
        rows.push(job)
      } else rows[slot] = job
    }
    return new JobTable(slots, rows)
  }

  /** The number of jobs. */
  get size(): number {
    return this.rows.length
  }

  /** The job with this id, if this table holds it. */
  get(id: string): JobSnapshot | undefined {
    const slot = this.slots.get(id)
    return slot !== undefined && slot < this.rows.length ? this.rows[slot] : undefined
  }

  /** True when this table holds a job with this id. */
  has(id: string): boolean {
    const slot = this.slots.get(id)
    return slot !== undefined && slot < this.rows.length
  }

  /** A table with `jobs` put in (replacing the ones with the same id, adding the others). */
  with(jobs: readonly JobSnapshot[]): JobTable {
    return this.merge(jobs, () => true)
  }

  /**
   * A table with each of `jobs` that `accept` takes put in; `accept` sees the job this table
   * (with the changes before it in the batch) holds under its id, if any. One lookup per job:
   * this is the path 10,000 jobs' progress takes. The same table back when nothing was taken.
   */
  merge(
    jobs: readonly JobSnapshot[],
    accept: (known: JobSnapshot | undefined, job: JobSnapshot) => boolean,
  ): JobTable {
    // Jobs the table holds (every job of a progress batch): one lookup and a write into one copy
    // of the rows, in a plain loop. The first job new to the table hands the rest of the batch to
    // a draft, which can add.
    const base = this.rows
    let rows: JobSnapshot[] | undefined
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!
      const slot = this.slots.get(job.id)
      if (slot === undefined || slot >= base.length) {
        return new JobTable(this.slots, rows ?? base).mergeInDraft(jobs, i, accept, this)
      }
      if (!accept((rows ?? base)[slot], job)) continue
      rows ??= base.slice()
      rows[slot] = job
    }
    return rows === undefined ? this : new JobTable(this.slots, rows)
  }

  /** `merge` from `jobs[from]` on, through a draft of this table (`unchanged` when nothing was). */
  private mergeInDraft(
    jobs: readonly JobSnapshot[],
    from: number,
    accept: (known: JobSnapshot | undefined, job: JobSnapshot) => boolean,
    unchanged: JobTable,
  ): JobTable {
    const draft = this.edit()
    for (let i = from; i < jobs.length; i++) {
      const job = jobs[i]!
      const slot = draft.slot(job.id)
      if (!accept(slot === undefined ? undefined : draft.at(slot), job)) continue
      if (slot === undefined) draft.set(job)
      else draft.put(slot, job)
    }
    const done = draft.done()
    return done === this && this.rows === unchanged.rows ? unchanged : done
  }

  /**
   * A draft to change a copy of this table job by job, reading its own changes back; `done()`
   * makes the new table (this one when nothing was set). The rows are copied once, at the first
   * change; the slot map is extended in place when no other table grew it past this one, else
   * copied, so tables made from the same one never share a slot.
   */
  edit(): JobTableDraft {
    let rows: JobSnapshot[] | undefined
    let slots = this.slots
    const base = this.rows
    // Whether this draft may add to `slots`: decided at the first addition, then kept.
    let owned: boolean | undefined
    const slot = (id: string): number | undefined => {
      const found = slots.get(id)
      return found !== undefined && found < (rows ?? base).length ? found : undefined
    }
    const draft: JobTableDraft = {
      slot,
      at: (index) => (rows ?? base)[index]!,
      put: (index, job) => {
        rows ??= base.slice()
        rows[index] = job
      },
      get: (id) => {
        const found = slot(id)
        return found === undefined ? undefined : (rows ?? base)[found]
      },
      set: (job) => {
        rows ??= base.slice()
        const slot = slots.get(job.id)
        if (slot !== undefined && slot < rows.length) {
          rows[slot] = job
          return
        }
        owned ??= slots.size === base.length
        if (!owned) {
          slots = this.ownSlots()
          owned = true
        }
        slots.set(job.id, rows.length)
        rows.push(job)
      },
      done: () => (rows === undefined ? this : new JobTable(slots, rows)),
    }
    return draft
  }

  /** A private copy of the slot map holding only this table's ids. */
  private ownSlots(): Map<string, number> {
    const slots = new Map<string, number>()
    for (const [id, slot] of this.slots) if (slot < this.rows.length) slots.set(id, slot)
    return slots
  }

  /** The jobs, in the order they joined the table. */
  values(): MapIterator<JobSnapshot> {
    return this.rows.values()
  }

  /** The ids, in the order their jobs joined the table. */
  *keys(): MapIterator<string> {
    for (const row of this.rows) yield row.id
  }

  /** [id, job] pairs, in the order the jobs joined the table. */
  *entries(): MapIterator<[string, JobSnapshot]> {
    for (const row of this.rows) yield [row.id, row]
  }

  /** The same as `entries()`. */
  [Symbol.iterator](): MapIterator<[string, JobSnapshot]> {
    return this.entries()
  }

  /** Calls `callback` for each job, in the order the jobs joined the table. */
  forEach(
    callback: (value: JobSnapshot, key: string, map: ReadonlyMap<string, JobSnapshot>) => void,
    thisArg?: unknown,
  ): void {
    for (const row of this.rows) callback.call(thisArg, row, row.id, this)
  }
}

/** Changes to a copy of a table (see `JobTable.edit`). */
export interface JobTableDraft {
  /** Where the job with this id is, if the draft holds it. */
  slot(id: string): number | undefined
  /** The job at a slot `slot` returned. */
  at(slot: number): JobSnapshot
  /** Replaces the job at a slot `slot` returned. */
  put(slot: number, job: JobSnapshot): void
  /** The job with this id, with the draft's changes. */
  get(id: string): JobSnapshot | undefined
  /** Puts a job in (replacing the one with its id, or adding it). */
  set(job: JobSnapshot): void
  /** The new table. */
  done(): JobTable
}
