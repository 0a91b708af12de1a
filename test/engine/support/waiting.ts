/**
 * What engine specs share while they watch real work happen: a logger that prints nothing, and a
 * bounded poll that returns the value once it is what the spec waits for.
 */
import type { Logger } from '../../../src/engine/engine-types.ts'

/** A logger for specs that do not look at log lines. */
export const quiet: Logger = { info() {}, warn() {}, error() {} }

/** Reads `read()` every 50 ms (at most 30 s) until `ok` holds; returns that value. */
export async function until<T>(read: () => T, ok: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = read()
    if (ok(value)) return value
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}
